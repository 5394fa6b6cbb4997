using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sawt.Cluster;
using Sawt.Inference.Voices;
using StackExchange.Redis;

namespace Sawt.Grains.Voices;

/// <summary>
/// The shared layer of the voice store: entries in <see cref="VoiceEntryFormat"/> under
/// <c>{KeyPrefix}{bundle identity}:{reference hash}</c>, over the process's one <see cref="SawtRedis"/> connection.
/// Absent (<see cref="IsEnabled"/> false) without Redis. Never throws for Redis: a call that fails or outlasts
/// <see cref="VoiceStoreOptions.OperationTimeout"/> reports a miss, and the first such failure after success is logged
/// once and counted as an outage; the next success ends it (StackExchange.Redis reconnects by itself), so the store
/// recovers without a restart. An entry that fails its checks is counted, logged and reported as a miss: the caller
/// recomputes and overwrites it.
/// </summary>
public sealed partial class RedisVoiceStore(SawtRedis? redis, VoiceInstruments instruments, IOptions<VoiceStoreOptions> options, ILogger<RedisVoiceStore> logger)
{
    private readonly VoiceStoreOptions _options = options.Value;
    private int _unreachable;

    /// <summary>Whether a Redis layer exists (Redis is configured).</summary>
    public bool IsEnabled => redis is not null;

    /// <summary>The Redis key of an entry.</summary>
    public string Key(string bundle, string hash) => $"{_options.KeyPrefix}{bundle}:{hash}";

    /// <summary>The stored conditionals, or null: no Redis, no entry, an entry refused, or Redis unreachable.</summary>
    public async Task<VoiceConditionals?> TryGetAsync(string bundle, string hash, CancellationToken cancellationToken = default)
    {
        if (redis is null)
        {
            return null;
        }

        var key = Key(bundle, hash);
        RedisValue value;
        try
        {
            var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            value = await database.StringGetAsync(key).WaitAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Unreachable(ex);
            return null;
        }

        Reachable();
        if (value.IsNull)
        {
            instruments.Miss(VoiceInstruments.RedisLayer);
            return null;
        }

        try
        {
            var voice = VoiceEntryFormat.Read((byte[])value!);
            instruments.Hit(VoiceInstruments.RedisLayer);
            return voice;
        }
        catch (VoiceEntryException ex)
        {
            // Once per entry in practice: the caller recomputes and overwrites it.
            instruments.Rejected(ex.Reason);
            LogRejected(logger, key, ex.Reason, ex.Message);
            return null;
        }
    }

    /// <summary>Writes (or overwrites) an entry; false when there is no Redis or it is unreachable.</summary>
    public async Task<bool> TryPutAsync(string bundle, string hash, VoiceConditionals voice, CancellationToken cancellationToken = default)
    {
        if (redis is null)
        {
            return false;
        }

        var entry = VoiceEntryFormat.Write(voice);
        try
        {
            var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            await database.StringSetAsync(Key(bundle, hash), entry, _options.EntryTimeToLive).WaitAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Unreachable(ex);
            return false;
        }

        Reachable();
        return true;
    }

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        var connection = await redis!.GetConnectionAsync().WaitAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);

        // Fail fast while disconnected: a command would wait in the client's backlog until the timeout.
        return connection.IsConnected
            ? connection.GetDatabase()
            : throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "The Redis connection is down; reconnecting in the background.");
    }

    private void Unreachable(Exception error)
    {
        if (Interlocked.Exchange(ref _unreachable, 1) == 0)
        {
            instruments.Outage();
            LogUnreachable(logger, string.Join(", ", redis!.Configuration.EndPoints), error.Message);
        }
    }

    private void Reachable()
    {
        if (Interlocked.Exchange(ref _unreachable, 0) == 1)
        {
            LogReachable(logger, string.Join(", ", redis!.Configuration.EndPoints));
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning,
        Message = "Voice store: Redis at {Endpoints} is unreachable ({Reason}). Synthesis goes on: voices are computed and kept in this silo's memory, so each silo may compute a voice once more. Bring Redis back or fix Sawt:Redis:ConnectionString; the store resumes by itself, no restart needed. Logged once per outage")]
    private static partial void LogUnreachable(ILogger logger, string endpoints, string reason);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Voice store: Redis at {Endpoints} is reachable again; voices are shared again")]
    private static partial void LogReachable(ILogger logger, string endpoints);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning,
        Message = "Voice store: entry {Key} refused ({Reason}): {Detail} It is recomputed and overwritten, never used")]
    private static partial void LogRejected(ILogger logger, string key, VoiceEntryRejection reason, string detail);
}
