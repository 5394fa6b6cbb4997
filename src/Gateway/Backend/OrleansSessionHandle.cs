using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Backend;

/// <summary>
/// A session's stream subscription feeding a bounded channel. The stream callback awaits room in the channel,
/// so a slow consumer slows delivery instead of growing memory. Audio is released in sequence order: an
/// out-of-order chunk waits (at most <see cref="MaxReorder"/> of them) for the missing one; duplicates are dropped.
/// </summary>
internal sealed class OrleansSessionHandle : ISessionHandle
{
    private const int MaxReorder = 32;

    private readonly ITtsSessionGrain _grain;
    private readonly ILogger _logger;
    private readonly Channel<SessionEvent> _events;
    private readonly CancellationTokenSource _disposed = new();
    private readonly SortedDictionary<int, AudioChunkEvent> _pending = [];
    private StreamSubscriptionHandle<SessionEvent>? _subscription;
    private int _nextSequence;
    private bool _terminal;

    public OrleansSessionHandle(Guid sessionId, ITtsSessionGrain grain, int capacity, ILogger logger)
    {
        SessionId = sessionId;
        _grain = grain;
        _logger = logger;
        _events = Channel.CreateBounded<SessionEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public Guid SessionId { get; }

    public IAsyncEnumerable<SessionEvent> Events => ReadAsync();

    public async Task SubscribeAsync(IAsyncStream<SessionEvent> stream)
    {
        _subscription = await stream.SubscribeAsync(OnNextAsync, OnErrorAsync, OnCompletedAsync);
    }

    public Task AppendTextAsync(string text, CancellationToken cancellationToken = default) =>
        _grain.AppendText(text).WaitAsync(cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken = default) => _grain.Flush().WaitAsync(cancellationToken);

    public Task CompleteAsync(CancellationToken cancellationToken = default) => _grain.Complete().WaitAsync(cancellationToken);

    public Task CancelAsync(CancellationToken cancellationToken = default) => _grain.Cancel().WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync();
        _events.Writer.TryComplete();
        if (_subscription is { } subscription)
        {
            try
            {
                await subscription.UnsubscribeAsync();
            }
            catch (Exception exception)
            {
                GatewayLog.UnsubscribeFailed(_logger, SessionId, exception);
            }
        }

        _disposed.Dispose();
    }

    private async IAsyncEnumerable<SessionEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in _events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return item;
        }
    }

    private async Task OnNextAsync(SessionEvent item, StreamSequenceToken? token)
    {
        if (_terminal)
        {
            return;
        }

        try
        {
            switch (item)
            {
                case AudioChunkEvent chunk when chunk.Sequence < _nextSequence:
                    GatewayLog.DuplicateChunk(_logger, SessionId, chunk.Sequence);
                    return;
                case AudioChunkEvent chunk when chunk.Sequence > _nextSequence:
                    _pending[chunk.Sequence] = chunk;
                    if (_pending.Count > MaxReorder)
                    {
                        await FailAsync(ErrorCodes.AudioGap, $"Audio chunk {_nextSequence} never arrived.");
                    }

                    return;
                case AudioChunkEvent chunk:
                    await WriteAsync(chunk);
                    _nextSequence++;
                    while (_pending.Remove(_nextSequence, out var next))
                    {
                        await WriteAsync(next);
                        _nextSequence++;
                    }

                    return;
                case SessionCompleted when _pending.Count > 0:
                    await FailAsync(ErrorCodes.AudioGap, $"Audio chunk {_nextSequence} never arrived.");
                    return;
                case SessionCompleted or SessionFailed:
                    await WriteAsync(item);
                    _terminal = true;
                    _events.Writer.TryComplete();
                    return;
                default:
                    await WriteAsync(item);
                    return;
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The consumer went away; drop the rest.
        }
        catch (ChannelClosedException)
        {
            // Disposed while delivering.
        }
    }

    private async Task FailAsync(string code, string message)
    {
        GatewayLog.SessionStreamFailed(_logger, SessionId, code);
        _terminal = true;
        await WriteAsync(new SessionFailed(code, message, Retryable: true, RetryAfterSeconds: null));
        _events.Writer.TryComplete();
    }

    private ValueTask WriteAsync(SessionEvent item) => _events.Writer.WriteAsync(item, _disposed.Token);

    private Task OnErrorAsync(Exception exception)
    {
        GatewayLog.SessionStreamError(_logger, SessionId, exception);
        if (!_terminal)
        {
            _terminal = true;
            _events.Writer.TryWrite(new SessionFailed(ErrorCodes.StreamError, "The session's event stream failed.", true, null));
            _events.Writer.TryComplete();
        }

        return Task.CompletedTask;
    }

    private Task OnCompletedAsync()
    {
        if (!_terminal)
        {
            _terminal = true;
            _events.Writer.TryWrite(new SessionFailed(ErrorCodes.StreamError, "The session's event stream ended early.", true, null));
            _events.Writer.TryComplete();
        }

        return Task.CompletedTask;
    }
}
