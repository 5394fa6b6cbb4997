using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sawt.Protocol;

namespace Sawt.Client;

/// <summary>
/// One WebSocket to <c>/v1/ws</c> carrying any number of contexts (<see cref="OpenContextAsync"/>). One loop reads
/// the socket, pairs each <c>audio</c> message with its binary frame and hands chunks to their contexts; sends are
/// serialised. When the socket drops, the contexts in flight fail with the retryable <c>connection_lost</c> and the
/// connection reconnects with backoff (<see cref="SawtClientOptions.Reconnect"/>); contexts opened meanwhile wait for
/// it. A refused API key on reconnect, the policy's last attempt, or disposal ends it for good.
/// </summary>
public sealed class SawtConnection : IAsyncDisposable
{
    /// <summary>Largest server message accepted (audio frames are a few hundred KiB at most).</summary>
    private const int MaxFrameBytes = 16 * 1024 * 1024;

    private readonly SawtClientOptions _options;
    private readonly Func<CancellationToken, Task<WebSocket>> _connect;
    private readonly Uri _uri;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SawtContext> _contexts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private WebSocket? _socket;
    private long _generation;
    private TaskCompletionSource<(WebSocket Socket, long Generation)> _ready = NewReady();
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    private SawtConnection(SawtClientOptions options, Func<CancellationToken, Task<WebSocket>> connect, Uri uri, ILogger logger)
    {
        _options = options;
        _connect = connect;
        _uri = uri;
        _logger = logger;
    }

    /// <summary>Whether a socket is up now (false while reconnecting and after the connection ended).</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _socket is { State: WebSocketState.Open };
            }
        }
    }

    /// <summary>How many times the connection has reconnected.</summary>
    public int Reconnections => (int)Interlocked.Read(ref _generation) - 1;

    internal static async Task<SawtConnection> ConnectAsync(
        SawtClientOptions options,
        Func<CancellationToken, Task<WebSocket>> connect,
        Uri uri,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var socket = await connect(cancellationToken).ConfigureAwait(false);
        var connection = new SawtConnection(options, connect, uri, logger);
        connection.Publish(socket);
        connection._loop = connection.RunAsync(socket);
        return connection;
    }

    /// <summary>
    /// Starts an incremental context and returns once the cluster started its session. A refusal (an unknown voice,
    /// a bad option, <c>busy</c>, ...) throws <see cref="SawtException"/>. While the connection is reconnecting this
    /// waits for it.
    /// </summary>
    public async Task<SawtContext> OpenContextAsync(ContextOptions? options = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        options ??= new ContextOptions();
        var (_, generation) = await WaitReadyAsync(cancellationToken).ConfigureAwait(false);
        var id = options.ContextId ?? Guid.NewGuid().ToString("N");
        var context = new SawtContext(this, id, generation, _options.ContextBufferCapacity);
        if (!_contexts.TryAdd(id, context))
        {
            throw new SawtException(ErrorCodes.DuplicateContext, $"Context '{id}' is active on this connection.", retryable: false) { ContextId = id };
        }

        var synthesize = new SynthesizeMessage(
            id,
            options.Text,
            options.Language,
            options.Voice,
            options.OutputFormat,
            options.Sampling,
            options.Chunking,
            Incremental: true);
        try
        {
            await SendAsync(synthesize, generation, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Forget(context);
            throw;
        }

        try
        {
            await context.Started.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The session may be starting: cancel it rather than leave it running unread.
            await context.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        WebSocket? socket;
        lock (_gate)
        {
            socket = _socket;
        }

        if (socket is { State: WebSocketState.Open })
        {
            // Close politely; the loop ends when the gateway answers the close.
            using var timeout = new CancellationTokenSource(_options.CloseTimeout);
            try
            {
                await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }

                await _loop.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // The gateway did not answer in time or the socket broke: abort below.
            }
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        socket?.Abort();
        await _loop.ConfigureAwait(false);
        FailAll(new SawtException(ErrorCodes.ConnectionLost, "The connection was closed.", retryable: false));
        lock (_gate)
        {
            _ready.TrySetException(new ObjectDisposedException(nameof(SawtConnection)));
        }

        _stopping.Dispose();
    }

    /// <summary>Sends one message on the socket of <paramref name="generation"/>; throws <c>connection_lost</c> if that socket is gone.</summary>
    internal async Task SendAsync(ClientMessage message, long generation, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(message, ProtocolJsonContext.Default.ClientMessage);
        WebSocket? socket;
        lock (_gate)
        {
            socket = _generation == generation ? _socket : null;
        }

        if (socket is null)
        {
            throw SawtException.Lost("The connection to the gateway was lost; the context ended with it.");
        }

        // A WebSocket takes one send at a time.
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw SawtException.Lost("The connection to the gateway was lost while sending.", exception);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static TaskCompletionSource<(WebSocket, long)> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<(WebSocket Socket, long Generation)> WaitReadyAsync(CancellationToken cancellationToken)
    {
        Task<(WebSocket, long)> ready;
        lock (_gate)
        {
            ready = _ready.Task;
        }

        return await ready.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Publish(WebSocket socket)
    {
        lock (_gate)
        {
            _socket = socket;
            _generation++;
            _ready.TrySetResult((socket, _generation));
        }
    }

    /// <summary>Reads sockets until the connection ends: each socket until it drops, then reconnects. Never throws.</summary>
    private async Task RunAsync(WebSocket socket)
    {
        while (true)
        {
            var lost = await ReceiveAsync(socket).ConfigureAwait(false);
            lock (_gate)
            {
                _socket = null;
                _ready = NewReady();
            }

            socket.Dispose();
            if (_stopping.IsCancellationRequested || Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            ClientLog.ConnectionLost(_logger, _uri, _contexts.Count, lost);
            FailAll(lost as SawtException ?? SawtException.Lost("The connection to the gateway was lost.", lost));

            var (next, error) = await ReconnectAsync().ConfigureAwait(false);
            if (next is null)
            {
                lock (_gate)
                {
                    _ready.TrySetException(error is null ? new ObjectDisposedException(nameof(SawtConnection)) : error);
                }

                return;
            }

            Publish(next);
            socket = next;
        }
    }

    /// <summary>Tries to reconnect as the policy allows; the new socket, or null and why not.</summary>
    private async Task<(WebSocket? Socket, SawtException? Error)> ReconnectAsync()
    {
        var policy = _options.Reconnect;
        SawtException last = SawtException.Lost("The connection to the gateway was lost and reconnecting is not allowed.");
        for (var attempt = 1; policy.Allows(attempt); attempt++)
        {
            var delay = policy.DelayFor(attempt, Random.Shared.NextDouble());
            ClientLog.Reconnecting(_logger, _uri, attempt, (long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, _options.TimeProvider, _stopping.Token).ConfigureAwait(false);
                var socket = await _connect(_stopping.Token).ConfigureAwait(false);
                ClientLog.Reconnected(_logger, _uri, attempt);
                return (socket, null);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return (null, null);
            }
            catch (SawtException exception) when (!exception.Retryable)
            {
                // E.g. the key was revoked while we were away: trying again cannot help.
                ClientLog.GaveUp(_logger, _uri, attempt, exception.Code);
                return (null, exception);
            }
            catch (SawtException exception)
            {
                ClientLog.ReconnectFailed(_logger, attempt, _uri, exception.Code);
                last = exception;
            }
        }

        ClientLog.GaveUp(_logger, _uri, policy.MaxAttempts ?? 0, last.Code);
        return (null, new SawtException(last.Code, last.Message, retryable: false, innerException: last));
    }

    /// <summary>Reads one socket until it closes or fails; returns why it ended (null: a close).</summary>
    private async Task<Exception?> ReceiveAsync(WebSocket socket)
    {
        var assembler = new FrameAssembler();
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    if (buffer.WrittenCount >= MaxFrameBytes)
                    {
                        throw SawtException.Violation($"A server message exceeded {MaxFrameBytes} bytes.");
                    }

                    result = await socket.ReceiveAsync(buffer.GetMemory(16 * 1024), _stopping.Token).ConfigureAwait(false);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await AnswerCloseAsync(socket).ConfigureAwait(false);
                    return SawtException.Lost(
                        $"The gateway closed the connection ({socket.CloseStatus} {socket.CloseStatusDescription}).");
                }

                _options.FrameObserver?.Invoke(result.MessageType, buffer.WrittenSpan);
                await DispatchAsync(assembler.Accept(result.MessageType, buffer.WrittenSpan)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return null;
        }
        catch (SawtException exception)
        {
            // The server broke the protocol: this socket cannot be trusted to pair frames any more.
            socket.Abort();
            return exception;
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            return exception;
        }
    }

    private async Task AnswerCloseAsync(WebSocket socket)
    {
        if (socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_options.CloseTimeout);
        try
        {
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The socket is going away either way.
        }
    }

    private async ValueTask DispatchAsync(ReceivedFrame frame)
    {
        if (frame.Unreadable)
        {
            ClientLog.UnreadableMessage(_logger);
            return;
        }

        if (frame.Audio is { } chunk)
        {
            if (_contexts.TryGetValue(chunk.Metadata.ContextId, out var target))
            {
                await target.OnAudioAsync(chunk, _stopping.Token).ConfigureAwait(false);
            }

            return;
        }

        switch (frame.Message)
        {
            case StartedMessage started when _contexts.TryGetValue(started.ContextId, out var context):
                context.OnStarted(started);
                break;
            case DoneMessage done when _contexts.TryRemove(done.ContextId, out var context):
                context.OnDone(done);
                break;
            case CancelledMessage cancelled when _contexts.TryRemove(cancelled.ContextId, out var context):
                context.OnCancelled();
                break;
            case ErrorMessage { ContextId: { } id, ContextEnded: true } error when _contexts.TryRemove(id, out var context):
                context.OnFailed(SawtException.From(error));
                break;
            case ErrorMessage { ContextId: { } id } error when _contexts.TryGetValue(id, out var context):
                ClientLog.MessageRefused(_logger, id, error.Code);
                context.OnRefused(SawtException.From(error));
                break;
            case ErrorMessage error:
                // A socket-level error (idle_timeout before a close, ...) or one for a context already ended
                // (an unknown_context racing a done): nothing waits for it.
                ClientLog.SocketError(_logger, error.Code);
                break;
        }
    }

    private void FailAll(SawtException error)
    {
        foreach (var (id, context) in _contexts)
        {
            if (_contexts.TryRemove(new KeyValuePair<string, SawtContext>(id, context)))
            {
                context.OnFailed(new SawtException(error.Code, error.Message, error.Retryable, error.RetryAfter, error.InnerException) { ContextId = id });
            }
        }
    }

    private void Forget(SawtContext context) =>
        _contexts.TryRemove(new KeyValuePair<string, SawtContext>(context.ContextId, context));
}
