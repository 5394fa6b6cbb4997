using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Sawt.Cluster;

/// <summary>
/// The process's one Redis connection, shared by membership, grain storage and the voice store. Connecting never
/// fails on an unreachable server (StackExchange.Redis keeps retrying in the background), so a process starts while
/// Redis is down and its users see the outage as failed commands they can handle.
/// </summary>
public sealed partial class SawtRedis : IAsyncDisposable
{
    private readonly ConfigurationOptions _configuration;
    private readonly ILogger<SawtRedis> _logger;
    private readonly Lock _gate = new();
    private Task<IConnectionMultiplexer>? _connection;

    public SawtRedis(string connectionString, ILogger<SawtRedis> logger)
    {
        _configuration = Parse(connectionString);
        _logger = logger;
    }

    /// <summary>The parsed configuration (a copy; the providers that need one validate it).</summary>
    public ConfigurationOptions Configuration => _configuration.Clone();

    /// <summary>
    /// The shared connection, created on first use. A first attempt that threw (it does not for an unreachable
    /// server, but may for a configuration the client rejects) is tried again on the next call rather than kept.
    /// </summary>
    public Task<IConnectionMultiplexer> GetConnectionAsync()
    {
        lock (_gate)
        {
            if (_connection is null || _connection.IsFaulted || _connection.IsCanceled)
            {
                _connection = ConnectAsync();
            }

            return _connection;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<IConnectionMultiplexer>? connection;
        lock (_gate)
        {
            connection = _connection;
        }

        if (connection is { IsCompletedSuccessfully: true })
        {
            await connection.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether Redis answers a PING within <paramref name="timeout"/> (readiness: a process whose Redis is unreachable
    /// can neither see its cluster change nor read voices). Never throws for an outage; cancellation is honoured.
    /// </summary>
    public async Task<bool> IsReachableAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await GetConnectionAsync().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            if (!connection.IsConnected)
            {
                return false;
            }

            await connection.GetDatabase().PingAsync().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Parses a connection string, never aborting on a failed first connect.</summary>
    public static ConfigurationOptions Parse(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        return options;
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(_configuration.Clone()).ConfigureAwait(false);
        LogConnecting(_logger, string.Join(", ", _configuration.EndPoints), connection.IsConnected);
        return connection;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Redis at {Endpoints}: connected {Connected}")]
    private static partial void LogConnecting(ILogger logger, string endpoints, bool connected);
}
