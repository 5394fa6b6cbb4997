using Microsoft.Extensions.Logging;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Audio;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.WebSockets;

/// <summary>
/// Runs one <c>/v1/ws</c> context: starts its session, applies its incremental input in order and forwards the
/// session's events. It is the only producer of that context's messages and writes exactly one terminal message
/// (<c>done</c>, <c>cancelled</c> or an <c>error</c> with <c>context_ended: true</c>) after its last audio, whatever
/// happens, unless the socket itself is gone.
/// </summary>
internal sealed class ContextRunner(
    ContextState context,
    SessionStart start,
    ISessionBackend backend,
    SocketConnection output,
    GatewayOptions options,
    ILogger logger,
    Transcoding? transcoding = null,
    GatewayInstruments? instruments = null)
{
    private long _startedAt;
    private long _lastAudioAt;

    /// <summary>Runs the context; <paramref name="finished"/> is called before its terminal message is queued, so the id is free once the client sees it.</summary>
    public async Task RunAsync(Action<ContextState> finished)
    {
        await Task.Yield(); // Back to the receive loop at once; the session starts concurrently.

        // Current while the session starts, so the session's span (through Orleans) is its child.
        using var span = instruments?.StartContext(context.Id);
        _startedAt = instruments?.Time.GetTimestamp() ?? 0;
        ISessionHandle? handle = null;
        byte[]? terminal = null;
        var outcome = "socket_closed";
        var cancelSession = false;
        var commands = Task.CompletedTask;
        IDisposable? slot = null;
        try
        {
            if (transcoding is not null && (slot = transcoding.Encoders.TryReserve(transcoding.Request)) is null)
            {
                outcome = ErrorCodes.Busy;
                terminal = ServerMessages.Error(context.Id, new ApiError(ErrorCodes.Busy, "Every audio encoder of this gateway is in use; retry shortly.", true, 1));
                return;
            }

            try
            {
                // Not cancellable: a started session must be cancelled through its handle, never orphaned.
                handle = await backend.StartAsync(start, CancellationToken.None);
            }
            catch (SessionRejectedException exception)
            {
                outcome = exception.Code;
                terminal = ServerMessages.Error(context.Id, ApiError.From(exception));
                return;
            }
            catch (Exception exception)
            {
                GatewayLog.BackendCallFailed(logger, "start", exception);
                outcome = ErrorCodes.InternalError;
                terminal = ServerMessages.Error(context.Id, ApiError.Internal());
                return;
            }

            GatewayLog.ContextStarted(logger, context.Id, handle.SessionId, start.Text.Length, start.Language, start.Output.Encoding);
            span?.SetTag(GatewayInstruments.SessionIdTag, handle.SessionId.ToString());
            commands = RunCommandsAsync(handle);
            (terminal, outcome, cancelSession) = await PumpAsync(handle, slot);
        }
        catch (Exception exception)
        {
            // Loop edge: whatever broke (the event stream, a bug here), the context still gets its terminal message
            // and its session is cancelled, instead of the context ending in silence.
            GatewayLog.ContextFailed(logger, context.Id, exception);
            outcome = ErrorCodes.InternalError;
            terminal = ServerMessages.Error(context.Id, ApiError.Unexpected());
            cancelSession = true;
        }
        finally
        {
            slot?.Dispose();
            context.Stop.Cancel();
            await commands; // Never throws: it ends when the context stops.

            // Counted before the client can see the terminal message, so a scrape after it includes this context.
            instruments?.EndContext(span, outcome);
            finished(context);

            // Free the cluster's work first; the terminal message may have to wait for room in the queue.
            if (handle is not null && cancelSession)
            {
                await handle.CancelQuietlyAsync(options.CloseTimeout, logger);
            }

            if (terminal is not null)
            {
                await output.EnqueueOrAbandonAsync(terminal);
            }

            if (handle is not null)
            {
                await handle.DisposeAsync();
            }

            GatewayLog.ContextFinished(logger, context.Id, outcome);
        }
    }

    private async Task<(byte[]? Terminal, string Outcome, bool CancelSession)> PumpAsync(ISessionHandle handle, IDisposable? slot)
    {
        var encoded = new EncodedBuffer();
        StreamingEncoder? encoder = null;
        try
        {
            if (!await output.EnqueueAsync(new OutgoingFrame(ServerMessages.Started(context.Id, handle.SessionId), null), options.SlowConsumerTimeout, context.Stop.Token))
            {
                return SlowConsumer();
            }

            await foreach (var item in handle.Events.WithCancellation(context.Stop.Token))
            {
                switch (item)
                {
                    case AudioChunkEvent chunk:
                        var sent = chunk;
                        if (transcoding is not null)
                        {
                            // The chunk's PCM goes to the encoder now; its message carries what the encoder has made so
                            // far (a container stream is cut where it stands, the concatenation is the file), and the
                            // final one carries the rest once the encoder has finished.
                            encoder ??= transcoding.Encoders.Start(transcoding.Request, slot!, encoded.AppendAsync);
                            await encoder.WriteAsync(chunk.Data, context.Stop.Token);
                            if (chunk.IsFinal)
                            {
                                await encoder.CompleteAsync(context.Stop.Token);
                            }

                            sent = chunk with { Data = encoded.Take(), Encoding = transcoding.Encoding };
                        }

                        var frame = new OutgoingFrame(ServerMessages.Audio(context.Id, sent), sent.Data);
                        if (!await output.EnqueueAsync(frame, options.SlowConsumerTimeout, context.Stop.Token))
                        {
                            return SlowConsumer();
                        }

                        if (chunk.DurationMilliseconds > 0)
                        {
                            AudioQueued();
                        }

                        break;
                    case SessionCompleted completed:
                        return (ServerMessages.Done(context.Id, completed.Stats), "done", false);
                    case SessionFailed failed when failed.Code == ErrorCodes.Cancelled && context.CancelRequested:
                        return (ServerMessages.Cancelled(context.Id), ErrorCodes.Cancelled, false);
                    case SessionFailed failed:
                        return (ServerMessages.Error(context.Id, ApiError.From(failed)), failed.Code, false);
                }
            }

            return (ServerMessages.Error(context.Id, new ApiError(ErrorCodes.InternalError, "The session ended without completing.", true)), "stream_ended", false);
        }
        catch (OperationCanceledException) when (context.Stop.IsCancellationRequested)
        {
            if (context.CancelRequested)
            {
                return (ServerMessages.Cancelled(context.Id), ErrorCodes.Cancelled, true);
            }

            if (context.Failure is { } failure)
            {
                return (ServerMessages.Error(context.Id, failure), failure.Code, true);
            }

            return (null, "socket_closed", true);
        }
        catch (AudioEncoderException exception)
        {
            GatewayLog.EncoderFailed(logger, "/v1/ws", exception);
            return (ServerMessages.Error(context.Id, new ApiError(ErrorCodes.InternalError, "The audio encoder failed; the failure is logged.", false)), ErrorCodes.InternalError, true);
        }
        finally
        {
            if (encoder is not null)
            {
                // Kills and reaps an encoder the context did not finish (cancel, a slow client, a failure).
                await encoder.DisposeAsync();
            }
        }
    }

    /// <summary>Time to first audio, then the gap since the previous chunk, as the client's queue receives them.</summary>
    private void AudioQueued()
    {
        if (instruments is null)
        {
            return;
        }

        var now = instruments.Time.GetTimestamp();
        if (_lastAudioAt == 0)
        {
            instruments.FirstAudio(instruments.Time.GetElapsedTime(_startedAt, now));
        }
        else
        {
            instruments.ChunkGap(instruments.Time.GetElapsedTime(_lastAudioAt, now));
        }

        _lastAudioAt = now;
    }

    /// <summary>
    /// The send queue stayed full for SlowConsumerTimeout: the context is cancelled and ends with
    /// <c>slow_consumer</c>, which then gets another SlowConsumerTimeout to find room before the socket is abandoned.
    /// </summary>
    private (byte[]? Terminal, string Outcome, bool CancelSession) SlowConsumer()
    {
        if (output.IsClosing || output.Stopped.IsCancellationRequested)
        {
            return (null, "socket_closed", true);
        }

        GatewayLog.SlowConsumer(logger, context.Id, options.SlowConsumerTimeout.TotalMilliseconds);
        var error = new ApiError(
            ErrorCodes.SlowConsumer,
            $"The client did not read audio for {options.SlowConsumerTimeout.TotalSeconds:0.###} s with the send queue full; the context was cancelled.",
            true);
        return (ServerMessages.Error(context.Id, error), ErrorCodes.SlowConsumer, true);
    }

    private async Task RunCommandsAsync(ISessionHandle handle)
    {
        try
        {
            await foreach (var command in context.Commands.Reader.ReadAllAsync(context.Stop.Token))
            {
                switch (command.Kind)
                {
                    case ContextCommandKind.Append:
                        await handle.AppendTextAsync(command.Text!, context.Stop.Token);
                        if (command.Flush)
                        {
                            await handle.FlushAsync(context.Stop.Token);
                        }

                        break;
                    case ContextCommandKind.Flush:
                        await handle.FlushAsync(context.Stop.Token);
                        break;
                    case ContextCommandKind.Complete:
                        await handle.CompleteAsync(context.Stop.Token);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (context.Stop.IsCancellationRequested)
        {
            // The context is ending.
        }
        catch (SessionRejectedException exception) when (exception.Code == ErrorCodes.Unavailable)
        {
            // The session is not there any more: it ended on its own (its terminal event, e.g. busy, is on the stream
            // behind this answer) or a silo holding it left (the stream's liveness watch finds that, and a handle that
            // kept resending the command ended the events itself). Either way the stream tells the context how it
            // ended; ending it here would replace its real outcome.
            context.Failure ??= ApiError.From(exception);
        }
        catch (SessionRejectedException exception)
        {
            context.Failure = ApiError.From(exception);
            await context.Stop.CancelAsync();
        }
        catch (Exception exception)
        {
            GatewayLog.BackendCallFailed(logger, "context command", exception);
            context.Failure = ApiError.Internal();
            await context.Stop.CancelAsync();
        }
    }
}
