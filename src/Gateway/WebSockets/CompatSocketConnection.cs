using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Limits;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.WebSockets;

/// <summary>
/// <c>/ws/tts</c> as the user's guide documents it: each JSON message <c>{text, language_id, speaker_id}</c> is
/// answered with binary frames of float32 little-endian 24 kHz samples, then
/// <c>{"status":"complete","latency_ms":..}</c>. Requests are served one after another, in order. On an error the
/// server sends <c>{"status":"error","code",..}</c> and closes with 1000 and the code as reason, as the guide's
/// server closes on an exception.
/// </summary>
internal sealed class CompatSocketConnection : SocketConnection
{
    private const int MaxQueuedRequests = 8;

    private readonly ISessionBackend _backend;
    private readonly SocketLimits? _limits;
    private readonly Channel<(SessionStart Start, long ReceivedAt)> _requests =
        Channel.CreateBounded<(SessionStart, long)>(new BoundedChannelOptions(MaxQueuedRequests) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private volatile bool _draining;

    public CompatSocketConnection(WebSocket socket, ISessionBackend backend, GatewayOptions options, TimeProvider time, ILogger logger, SocketLimits? limits = null)
        : base(socket, "/ws/tts", options, time, logger)
    {
        _backend = backend;
        _limits = limits;
        _worker = WorkAsync();
    }

    protected override async Task OnTextAsync(ReadOnlyMemory<byte> message)
    {
        if (_draining)
        {
            // Refused without closing: the requests taken before the shutdown are still being answered.
            await EnqueueOrAbandonAsync(ServerMessages.CompatError(ShuttingDown("takes no new requests")));
            return;
        }

        SessionStart start;
        try
        {
            start = CompatRequestReader.ReadMessage(message, Options);
            _limits?.TakeRequest();
        }
        catch (ProtocolException exception)
        {
            await FailAsync(ApiError.From(exception));
            return;
        }

        if (!_requests.Writer.TryWrite((start, Time.GetTimestamp())))
        {
            await FailAsync(new ApiError(ErrorCodes.TooManyMessages, $"At most {MaxQueuedRequests} requests may wait on one socket.", false));
        }
    }

    protected override Task OnBinaryAsync(ReadOnlyMemory<byte> message) =>
        FailAsync(new ApiError(ErrorCodes.UnexpectedBinary, "Send JSON text messages.", false));

    protected override Task RefuseAsync(ApiError error) => FailAsync(error);

    protected override void OnReceiveEnded() => _stop.Cancel();

    protected override async Task OnStoppedAsync()
    {
        await _stop.CancelAsync();
        _requests.Writer.TryComplete();
        await Task.WhenAny(_worker, Task.Delay(Options.CloseTimeout, Time));
    }

    /// <summary>
    /// Requests already taken are answered for DrainTimeout; then the one running ends with a <c>shutting_down</c>
    /// error (its session cancelled) before the 1001 close.
    /// </summary>
    protected override async Task DrainAsync()
    {
        _draining = true;
        _requests.Writer.TryComplete();
        await _worker.WaitAsync(Options.DrainTimeout, Time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!_worker.IsCompleted)
        {
            await _stop.CancelAsync();
            await _worker.WaitAsync(Options.CloseTimeout, Time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await EnqueueOrAbandonAsync(ServerMessages.CompatError(ShuttingDown("ended this request before it finished; retry it on a new connection")));
        }
    }

    protected override void OnIdle() =>
        TryEnqueue(new OutgoingFrame(ServerMessages.CompatError(new ApiError(ErrorCodes.IdleTimeout, "Idle; closing.", true)), null));

    private static ApiError ShuttingDown(string what) => new(ErrorCodes.ShuttingDown, $"The server is shutting down and {what}.", true, 1);

    /// <summary>
    /// The guide's error path: the error status, then close 1000 with the code as reason. The error waits for room
    /// like any message the client must get; if it finds none, the client stopped reading and the socket is abandoned.
    /// </summary>
    private async Task FailAsync(ApiError error)
    {
        GatewayLog.ProtocolError(Logger, error.Code);
        if (await EnqueueOrAbandonAsync(ServerMessages.CompatError(error)))
        {
            RequestClose(WebSocketCloseStatus.NormalClosure, error.Code);
        }
    }

    private async Task WorkAsync()
    {
        await Task.Yield();
        try
        {
            await foreach (var (start, receivedAt) in _requests.Reader.ReadAllAsync(_stop.Token))
            {
                if (!await SynthesizeAsync(start, receivedAt))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Socket finished.
        }
    }

    private async Task<bool> SynthesizeAsync(SessionStart start, long receivedAt)
    {
        IDisposable? running;
        try
        {
            running = _limits?.StartContext();
        }
        catch (ProtocolException exception)
        {
            await FailAsync(ApiError.From(exception));
            return false;
        }

        using (running)
        {
            return await RunSessionAsync(start, receivedAt);
        }
    }

    private async Task<bool> RunSessionAsync(SessionStart start, long receivedAt)
    {
        ISessionHandle handle;
        try
        {
            handle = await _backend.StartAsync(start, CancellationToken.None);
        }
        catch (SessionRejectedException exception)
        {
            await FailAsync(ApiError.From(exception));
            return false;
        }
        catch (Exception exception)
        {
            GatewayLog.BackendCallFailed(Logger, "start", exception);
            await FailAsync(ApiError.Internal());
            return false;
        }

        await using (handle)
        {
            double? latency = null;
            try
            {
                await foreach (var item in handle.Events.WithCancellation(_stop.Token))
                {
                    switch (item)
                    {
                        case AudioChunkEvent chunk when chunk.Data.Length > 0:
                            latency ??= Time.GetElapsedTime(receivedAt).TotalMilliseconds;
                            if (!await EnqueueAsync(new OutgoingFrame(null, chunk.Data), Options.SlowConsumerTimeout, _stop.Token))
                            {
                                await handle.CancelQuietlyAsync(Options.CloseTimeout, Logger);
                                await FailAsync(new ApiError(ErrorCodes.SlowConsumer, "The client did not read audio; cancelled.", true));
                                return false;
                            }

                            break;
                        case SessionCompleted:
                            var total = Time.GetElapsedTime(receivedAt).TotalMilliseconds;
                            return await EnqueueOrAbandonAsync(ServerMessages.CompatComplete(latency ?? total, total));
                        case SessionFailed failed:
                            await FailAsync(ApiError.From(failed));
                            return false;
                    }
                }

                await FailAsync(new ApiError(ErrorCodes.InternalError, "The session ended without completing.", true));
                return false;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                await handle.CancelQuietlyAsync(Options.CloseTimeout, Logger);
                return false;
            }
            catch (Exception exception)
            {
                // Loop edge: a failure serving one request ends the socket as the guide's protocol ends on any
                // error, with an error status, never in silence; the session is cancelled, not left running.
                GatewayLog.CompatRequestFailed(Logger, exception);
                await handle.CancelQuietlyAsync(Options.CloseTimeout, Logger);
                await FailAsync(ApiError.Unexpected());
                return false;
            }
        }
    }
}
