using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
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
    private readonly Channel<(SessionStart Start, long ReceivedAt)> _requests =
        Channel.CreateBounded<(SessionStart, long)>(new BoundedChannelOptions(MaxQueuedRequests) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;

    public CompatSocketConnection(WebSocket socket, ISessionBackend backend, GatewayOptions options, TimeProvider time, ILogger logger)
        : base(socket, "/ws/tts", options, time, logger)
    {
        _backend = backend;
        _worker = WorkAsync();
    }

    protected override Task OnTextAsync(ReadOnlyMemory<byte> message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ProtocolException(ErrorCodes.InvalidRequest, "A message is a JSON object.");
            }

            var text = JsonFields.String(root, "text") ?? string.Empty;
            SynthesisRequestParser.CheckTextLength(text.Length, Options);
            var voice = JsonFields.String(root, "speaker_id") ?? VoiceIds.Default;
            SynthesisRequestParser.CheckVoiceId(voice);
            var start = new SessionStart
            {
                Text = text,
                Language = JsonFields.String(root, "language_id") ?? Options.DefaultLanguage,
                VoiceId = voice,
                Output = new OutputFormatSettings { Encoding = "pcm_f32le", SampleRate = 24000 },
            };
            if (!_requests.Writer.TryWrite((start, Time.GetTimestamp())))
            {
                throw new ProtocolException(ErrorCodes.TooManyMessages, $"At most {MaxQueuedRequests} requests may wait on one socket.");
            }
        }
        catch (JsonException)
        {
            Fail(new ApiError(ErrorCodes.InvalidJson, "The message is not valid JSON.", false));
        }
        catch (ProtocolException exception)
        {
            Fail(ApiError.From(exception));
        }

        return Task.CompletedTask;
    }

    protected override Task OnBinaryAsync(ReadOnlyMemory<byte> message)
    {
        Fail(new ApiError(ErrorCodes.UnexpectedBinary, "Send JSON text messages.", false));
        return Task.CompletedTask;
    }

    protected override void OnReceiveEnded() => _stop.Cancel();

    protected override async Task OnStoppedAsync()
    {
        await _stop.CancelAsync();
        _requests.Writer.TryComplete();
        await Task.WhenAny(_worker, Task.Delay(Options.CloseTimeout, Time));
    }

    protected override void OnIdle() =>
        TryEnqueue(new OutgoingFrame(ServerMessages.CompatError(new ApiError(ErrorCodes.IdleTimeout, "Idle; closing.", true)), null));

    private void Fail(ApiError error)
    {
        GatewayLog.ProtocolError(Logger, error.Code);
        TryEnqueue(new OutgoingFrame(ServerMessages.CompatError(error), null));
        RequestClose(WebSocketCloseStatus.NormalClosure, error.Code);
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
        ISessionHandle handle;
        try
        {
            handle = await _backend.StartAsync(start, CancellationToken.None);
        }
        catch (SessionRejectedException exception)
        {
            Fail(ApiError.From(exception));
            return false;
        }
        catch (Exception exception)
        {
            GatewayLog.BackendCallFailed(Logger, "start", exception);
            Fail(ApiError.Internal());
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
                                await CancelQuietlyAsync(handle);
                                Fail(new ApiError(ErrorCodes.SlowConsumer, "The client did not read audio; cancelled.", true));
                                return false;
                            }

                            break;
                        case SessionCompleted:
                            var total = Time.GetElapsedTime(receivedAt).TotalMilliseconds;
                            return await EnqueueAsync(
                                new OutgoingFrame(ServerMessages.CompatComplete(latency ?? total, total), null),
                                Options.SlowConsumerTimeout,
                                _stop.Token);
                        case SessionFailed failed:
                            Fail(ApiError.From(failed));
                            return false;
                    }
                }

                Fail(new ApiError(ErrorCodes.InternalError, "The session ended without completing.", true));
                return false;
            }
            catch (OperationCanceledException)
            {
                await CancelQuietlyAsync(handle);
                return false;
            }
        }
    }

    private async Task CancelQuietlyAsync(ISessionHandle handle)
    {
        try
        {
            using var timeout = new CancellationTokenSource(Options.CloseTimeout);
            await handle.CancelAsync(timeout.Token);
        }
        catch (Exception exception)
        {
            GatewayLog.BackendCallFailed(Logger, "cancel", exception);
        }
    }
}
