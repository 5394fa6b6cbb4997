using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.WebSockets;

/// <summary>
/// The socket plumbing shared by the gateway's WebSocket endpoints (style §2.4): one receive loop, one send
/// loop draining a bounded queue, an idle watchdog, and a close handshake with a timeout after which the
/// socket is aborted (a client that never answers a close must not hold shutdown for 30 s). A message handler
/// that throws costs that message an <c>internal_error</c>, never the socket.
/// </summary>
internal abstract class SocketConnection
{
    private readonly WebSocket _socket;
    private readonly Channel<OutgoingFrame> _outgoing;
    private readonly CancellationTokenSource _closeDeadline = new();
    private readonly CancellationTokenSource _stopped = new();
    private readonly string _endpoint;
    private long _lastActivityTicks;
    private volatile bool _clientClosed;
    private volatile bool _abortedHere;
    private volatile bool _receiveFaulted;
    private int _closeRequested;
    private Task? _drain;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = string.Empty;

    protected SocketConnection(WebSocket socket, string endpoint, GatewayOptions options, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _endpoint = endpoint;
        Options = options;
        Time = time;
        Logger = logger;
        _outgoing = Channel.CreateBounded<OutgoingFrame>(new BoundedChannelOptions(options.SendQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _lastActivityTicks = time.GetTimestamp();
        _closeDeadline.Token.Register(() => Abort(logger => GatewayLog.CloseTimedOut(logger, Options.CloseTimeout.TotalMilliseconds)));
    }

    /// <summary>True once a close was requested here or the client closed.</summary>
    public bool IsClosing => Volatile.Read(ref _closeRequested) == 1 || _clientClosed;

    /// <summary>Cancelled once the socket is done (closed, aborted or failed).</summary>
    public CancellationToken Stopped => _stopped.Token;

    protected GatewayOptions Options { get; }

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    /// <summary>Runs the socket until it closes; returns once both loops ended (or were aborted).</summary>
    /// <param name="shutdown">The server is stopping: let the socket's work end (<see cref="DrainAsync"/>), then close with 1001.</param>
    /// <param name="connectionClosed">The client's connection is gone (the request's <c>RequestAborted</c>).</param>
    public async Task RunAsync(CancellationToken shutdown, CancellationToken connectionClosed)
    {
        await using var onShutdown = shutdown.Register(() => _drain = DrainThenCloseAsync());
        var sending = SendLoopAsync();
        var receiving = ReceiveLoopAsync();
        var idle = IdleLoopAsync();
        try
        {
            var first = await Task.WhenAny(receiving, sending);
            if (first == receiving)
            {
                // The client closed (or the connection broke): stop producing and answer the close.
                _clientClosed = true;
                OnReceiveEnded();
                _outgoing.Writer.TryComplete();
                await WaitOrAbortAsync(sending);
            }
            else
            {
                // Our close went out (or sending failed): give the client CloseTimeout to answer.
                await WaitOrAbortAsync(receiving);
            }
        }
        finally
        {
            await _stopped.CancelAsync();
            await OnStoppedAsync();
            await idle;
            if (_drain is { } drain)
            {
                await drain; // Bounded: the socket's work was stopped above.
            }

            if (_receiveFaulted)
            {
                await LingerAsync(shutdown, connectionClosed);
            }

            GatewayLog.SocketClosed(Logger, _endpoint, _socket.CloseStatus?.ToString(), _socket.CloseStatusDescription);
            _closeDeadline.Dispose();
        }
    }

    /// <summary>
    /// Queues an item, waiting up to <paramref name="timeout"/> for room. False when the queue stayed full,
    /// the socket is closing, or <paramref name="cancellationToken"/> fired (which is rethrown).
    /// </summary>
    public async Task<bool> EnqueueAsync(OutgoingFrame frame, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_outgoing.Writer.TryWrite(frame))
        {
            return true;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopped.Token);
        wait.CancelAfter(timeout);
        try
        {
            await _outgoing.Writer.WriteAsync(frame, wait.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Queues a message the client must get (an error, a terminal message), waiting up to SlowConsumerTimeout.
    /// If even that finds no room, the client has stopped reading: the socket is aborted (see
    /// <see cref="AbandonSlowClient"/>). False when the message was not queued.
    /// </summary>
    public async Task<bool> EnqueueOrAbandonAsync(byte[] text)
    {
        if (await EnqueueAsync(new OutgoingFrame(text, null), Options.SlowConsumerTimeout, CancellationToken.None))
        {
            return true;
        }

        if (!IsClosing && !Stopped.IsCancellationRequested)
        {
            AbandonSlowClient();
        }

        return false;
    }

    /// <summary>
    /// The server is stopping: refuse new work with <c>shutting_down</c>, let running work end within DrainTimeout,
    /// end the rest with <c>shutting_down</c>; the socket then closes with 1001. Default: nothing to wait for.
    /// </summary>
    protected virtual Task DrainAsync() => Task.CompletedTask;

    /// <summary>A whole text message from the client (at most MaxMessageBytes, valid UTF-8: the WebSocket layer checks).</summary>
    protected abstract Task OnTextAsync(ReadOnlyMemory<byte> message);

    /// <summary>A whole binary message from the client.</summary>
    protected abstract Task OnBinaryAsync(ReadOnlyMemory<byte> message);

    /// <summary>Answers a client message with an error, as the endpoint's protocol does it.</summary>
    protected abstract Task RefuseAsync(ApiError error);

    /// <summary>The client closed or went away; stop every producer.</summary>
    protected abstract void OnReceiveEnded();

    /// <summary>The socket is finished; wait for producers to end.</summary>
    protected abstract Task OnStoppedAsync();

    /// <summary>Called by the idle watchdog before the socket is closed for idleness.</summary>
    protected abstract void OnIdle();

    /// <summary>
    /// Whether the socket has work under way (a context that has not ended): then it is not idle, however quiet. A
    /// context waiting for its session under load, or for the client's next text, ends by its own rules (the session's
    /// input timeout), each with its terminal message; closing the socket under it would end it with none.
    /// </summary>
    protected virtual bool HasRunningWork => false;

    /// <summary>Queues a control message without waiting (used where the receive loop must not block).</summary>
    protected bool TryEnqueue(OutgoingFrame frame) => _outgoing.Writer.TryWrite(frame);

    /// <summary>
    /// Starts a server-side close: what is queued is still sent, then the close frame; if the handshake has not
    /// finished within CloseTimeout the socket is aborted.
    /// </summary>
    protected void RequestClose(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 1)
        {
            return;
        }

        _closeStatus = status;
        _closeReason = reason;
        _outgoing.Writer.TryComplete();
        try
        {
            _closeDeadline.CancelAfter(Options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    private async Task DrainThenCloseAsync()
    {
        try
        {
            await DrainAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Loop edge: whatever went wrong while draining, the socket still closes with 1001 below.
            GatewayLog.SocketLoopFailed(Logger, _endpoint, exception);
        }
        finally
        {
            RequestClose(WebSocketCloseStatus.EndpointUnavailable, "server_shutdown");
        }
    }

    /// <summary>
    /// The client stopped reading: a message it must get found no room within SlowConsumerTimeout. A close frame
    /// would queue behind the unread data in a full TCP window and could never arrive, so the connection is
    /// aborted at once; the client sees an abnormal closure (1006), not a close frame.
    /// </summary>
    private void AbandonSlowClient() => Abort(logger => GatewayLog.SlowClientAborted(logger, Options.SlowConsumerTimeout.TotalMilliseconds));

    private void Abort(Action<ILogger> log)
    {
        if (_socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
        {
            log(Logger);
            _abortedHere = true;
            _socket.Abort();
        }
    }

    private async Task WaitOrAbortAsync(Task other)
    {
        if (await Task.WhenAny(other, Task.Delay(Options.CloseTimeout, Time)) != other)
        {
            Abort(logger => GatewayLog.CloseTimedOut(logger, Options.CloseTimeout.TotalMilliseconds));
        }

        try
        {
            await other;
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket was aborted under the loop.
        }
    }

    /// <summary>
    /// The WebSocket layer refused a frame (a text frame that is not UTF-8 gets close 1007, RFC 6455 §8.1) and
    /// aborted its side after sending its close frame. Returning now would reset the connection, and the client
    /// would lose that close frame with it; so the connection stays until the client drops it, at most CloseTimeout.
    /// A client that simply went away has already dropped it, so this costs nothing then.
    /// </summary>
    private async Task LingerAsync(CancellationToken shutdown, CancellationToken connectionClosed)
    {
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(shutdown, connectionClosed);
        try
        {
            await Task.Delay(Options.CloseTimeout, Time, linger.Token);
        }
        catch (OperationCanceledException)
        {
            // The client dropped the connection, or the server is stopping.
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivityTicks, Time.GetTimestamp());

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var frame in _outgoing.Reader.ReadAllAsync())
            {
                if (_clientClosed)
                {
                    continue;
                }

                if (frame.Text is { } text)
                {
                    await _socket.SendAsync(text, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }

                if (frame.Binary is { } binary)
                {
                    await _socket.SendAsync(binary, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
                }

                Touch();
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                var status = _clientClosed ? WebSocketCloseStatus.NormalClosure : _closeStatus;
                var reason = _clientClosed ? string.Empty : _closeReason;
                using var timeout = new CancellationTokenSource(Options.CloseTimeout);
                await _socket.CloseOutputAsync(status, reason, timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or the socket was aborted; nothing more can be sent.
        }
        finally
        {
            _outgoing.Writer.TryComplete();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(8192);
        var message = new ArrayBufferWriter<byte>(8192);
        var oversized = false;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Touch();
                if (!oversized)
                {
                    if (message.WrittenCount + result.Count > Options.MaxMessageBytes)
                    {
                        oversized = true;
                        GatewayLog.MessageTooBig(Logger, Options.MaxMessageBytes);
                        RequestClose(WebSocketCloseStatus.MessageTooBig, ErrorCodes.MessageTooBig);
                    }
                    else
                    {
                        message.Write(buffer.AsSpan(0, result.Count));
                    }
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (!oversized && !IsClosing)
                {
                    await HandleAsync(result.MessageType, message.WrittenMemory);
                }

                message.ResetWrittenCount();
                oversized = false;
            }
        }
        catch (WebSocketException) when (!_abortedHere)
        {
            // The WebSocket layer refused a frame (it already sent its close frame) or the client vanished.
            _receiveFaulted = true;
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Aborted here: not an error (style §1.5).
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task HandleAsync(WebSocketMessageType type, ReadOnlyMemory<byte> message)
    {
        try
        {
            await (type == WebSocketMessageType.Text ? OnTextAsync(message) : OnBinaryAsync(message));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !Stopped.IsCancellationRequested)
        {
            // Loop edge (style §2.11): a failure handling one message must not end the socket and every other
            // context on it. The message is answered internal_error; the loop reads the next one.
            GatewayLog.MessageHandlerFailed(Logger, _endpoint, exception);
            await RefuseAsync(ApiError.Unexpected());
        }
    }

    private async Task IdleLoopAsync()
    {
        var period = TimeSpan.FromTicks(Math.Clamp(Options.IdleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));
        using var timer = new PeriodicTimer(period, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopped.Token))
            {
                var idle = Time.GetElapsedTime(Interlocked.Read(ref _lastActivityTicks));
                if (idle >= Options.IdleTimeout && !IsClosing && !HasRunningWork)
                {
                    GatewayLog.IdleTimeout(Logger, idle.TotalMilliseconds);
                    OnIdle();
                    RequestClose(WebSocketCloseStatus.NormalClosure, ErrorCodes.IdleTimeout);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Socket finished.
        }
    }
}
