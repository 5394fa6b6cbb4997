using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.WebSockets;

/// <summary>
/// The <c>/v1/ws</c> protocol (docs/protocol.md): several contexts per socket, each a session. Per context, one
/// task starts the session, applies incremental input in order and forwards the session's events; it is the
/// only producer of that context's audio and writes the context's terminal message (<c>done</c>, <c>error</c>
/// or <c>cancelled</c>) after its last audio, so nothing of a context follows its terminal message.
/// </summary>
internal sealed class TtsSocketConnection(
    WebSocket socket,
    ISessionBackend backend,
    GatewayOptions options,
    TimeProvider time,
    ILogger logger)
    : SocketConnection(socket, "/v1/ws", options, time, logger)
{
    private const int MaxContextIdLength = 128;

    private readonly ConcurrentDictionary<string, ContextState> _contexts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ContextState, Task> _running = new();

    protected override async Task OnTextAsync(ReadOnlyMemory<byte> message)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException)
        {
            await SendErrorAsync(null, new ApiError(ErrorCodes.InvalidJson, "The message is not valid JSON.", false));
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            string? contextId = null;
            try
            {
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new ProtocolException(ErrorCodes.InvalidRequest, "A message is a JSON object.");
                }

                if (root.TryGetProperty("context_id", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    contextId = id.GetString();
                }

                if (JsonFields.Int(root, "v") is { } version && version != 1)
                {
                    throw new ProtocolException(ErrorCodes.UnsupportedVersion, $"Protocol version {version} is not supported; this endpoint speaks version 1.");
                }

                var type = JsonFields.String(root, "type")
                    ?? throw new ProtocolException(ErrorCodes.InvalidRequest, "Field 'type' is required.");
                switch (type)
                {
                    case "synthesize":
                        Synthesize(root);
                        break;
                    case "text":
                        AppendText(root);
                        break;
                    case "flush":
                        Flush(root);
                        break;
                    case "end":
                        End(root);
                        break;
                    case "cancel":
                        Cancel(root);
                        break;
                    default:
                        throw new ProtocolException(ErrorCodes.UnknownMessageType, $"Unknown message type '{type}'.");
                }
            }
            catch (ProtocolException exception)
            {
                // A refused message leaves an active context running; otherwise nothing more comes for that id.
                var ended = contextId is not null && !_contexts.ContainsKey(contextId);
                await SendErrorAsync(contextId, ApiError.From(exception), ended);
            }
        }
    }

    protected override Task OnBinaryAsync(ReadOnlyMemory<byte> message) =>
        SendErrorAsync(null, new ApiError(ErrorCodes.UnexpectedBinary, "Clients send JSON text frames only; the binary frame was ignored.", false));

    protected override void OnReceiveEnded() => StopAll();

    protected override async Task OnStoppedAsync()
    {
        StopAll();
        var running = _running.Values.ToArray();
        if (running.Length > 0)
        {
            await Task.WhenAny(Task.WhenAll(running), Task.Delay(Options.CloseTimeout, Time));
        }
    }

    protected override void OnIdle() =>
        TryEnqueue(new OutgoingFrame(
            ServerMessages.Error(null, new ApiError(ErrorCodes.IdleTimeout, $"No traffic for {Options.IdleTimeout.TotalSeconds:0.###} s; closing.", true)),
            null));

    private void StopAll()
    {
        foreach (var context in _contexts.Values)
        {
            context.Stop.Cancel();
        }
    }

    private void Synthesize(JsonElement root)
    {
        var id = RequiredContextId(root);
        if (_contexts.ContainsKey(id))
        {
            throw new ProtocolException(ErrorCodes.DuplicateContext, $"Context '{id}' is already active.");
        }

        if (_contexts.Count >= Options.MaxContextsPerSocket)
        {
            throw new ProtocolException(ErrorCodes.TooManyContexts, $"At most {Options.MaxContextsPerSocket} contexts may be active on one socket.");
        }

        var start = SynthesisRequestParser.Parse(root, Options, allowIncremental: true);
        var context = new ContextState(id, start.Incremental, start.Text.Length, Options.ContextCommandCapacity);
        _contexts[id] = context;
        _running[context] = RunContextAsync(context, start);
    }

    private void AppendText(JsonElement root)
    {
        var context = IncrementalContext(root);
        var text = JsonFields.RequiredString(root, "text");
        if (text.Length == 0)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, "Field 'text' must not be empty.");
        }

        SynthesisRequestParser.CheckTextLength(context.TextLength + text.Length, Options);
        Command(context, new ContextCommand(ContextCommandKind.Append, text));
        context.TextLength += text.Length;
        if (JsonFields.Bool(root, "flush") == true)
        {
            Command(context, new ContextCommand(ContextCommandKind.Flush));
        }
    }

    private void Flush(JsonElement root) => Command(IncrementalContext(root), new ContextCommand(ContextCommandKind.Flush));

    private void End(JsonElement root)
    {
        var context = FindContext(root);
        if (!context.Incremental || context.InputEnded)
        {
            return; // Nothing more to say; ending twice or ending a one-shot context is harmless.
        }

        Command(context, new ContextCommand(ContextCommandKind.Complete));
        context.InputEnded = true;
        context.Commands.Writer.TryComplete();
    }

    private void Cancel(JsonElement root)
    {
        var context = FindContext(root);
        context.CancelRequested = true;
        context.Stop.Cancel();
    }

    private static void Command(ContextState context, ContextCommand command)
    {
        if (!context.Commands.Writer.TryWrite(command))
        {
            throw new ProtocolException(
                ErrorCodes.TooManyMessages,
                $"Context '{context.Id}' has too many unprocessed messages; wait for audio before sending more.");
        }
    }

    private ContextState IncrementalContext(JsonElement root)
    {
        var context = FindContext(root);
        if (!context.Incremental)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, $"Context '{context.Id}' was not started with \"incremental\": true.");
        }

        if (context.InputEnded)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, $"Context '{context.Id}' already ended its input.");
        }

        return context;
    }

    private ContextState FindContext(JsonElement root)
    {
        var id = RequiredContextId(root);
        return _contexts.TryGetValue(id, out var context)
            ? context
            : throw new ProtocolException(ErrorCodes.UnknownContext, $"No active context '{id}'.");
    }

    private static string RequiredContextId(JsonElement root)
    {
        var id = JsonFields.RequiredString(root, "context_id");
        if (id.Length is 0 or > MaxContextIdLength)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, $"Field 'context_id' must be 1 to {MaxContextIdLength} characters.");
        }

        return id;
    }

    /// <summary>Control messages from the receive loop: waits for room (backpressure on a client that does not read).</summary>
    private async Task SendErrorAsync(string? contextId, ApiError error, bool contextEnded = true)
    {
        GatewayLog.ProtocolError(Logger, error.Code);
        if (!await EnqueueAsync(new OutgoingFrame(ServerMessages.Error(contextId, error, contextEnded), null), Options.SlowConsumerTimeout, CancellationToken.None)
            && !IsClosing && !Stopped.IsCancellationRequested)
        {
            RequestClose(WebSocketCloseStatus.PolicyViolation, ErrorCodes.SlowConsumer);
        }
    }

    private async Task RunContextAsync(ContextState context, SessionStart start)
    {
        await Task.Yield(); // Back to the receive loop at once; the session starts concurrently.
        ISessionHandle? handle = null;
        byte[]? terminal = null;
        var outcome = "socket_closed";
        var cancelSession = false;
        try
        {
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
                GatewayLog.BackendCallFailed(Logger, "start", exception);
                outcome = ErrorCodes.InternalError;
                terminal = ServerMessages.Error(context.Id, ApiError.Internal());
                return;
            }

            GatewayLog.ContextStarted(Logger, context.Id, handle.SessionId, start.Text.Length, start.Language, start.Output.Encoding);
            var commands = RunCommandsAsync(context, handle);
            (terminal, outcome, cancelSession) = await PumpAsync(context, handle);
            context.Stop.Cancel();
            await commands;
        }
        finally
        {
            _contexts.TryRemove(new KeyValuePair<string, ContextState>(context.Id, context));
            _running.TryRemove(context, out _);

            // Free the cluster's work first; the terminal message may have to wait for room in the queue.
            if (handle is not null && cancelSession)
            {
                await CancelSessionAsync(handle);
            }

            if (terminal is not null
                && !await EnqueueAsync(new OutgoingFrame(terminal, null), Options.SlowConsumerTimeout, CancellationToken.None)
                && !IsClosing && !Stopped.IsCancellationRequested)
            {
                RequestClose(WebSocketCloseStatus.PolicyViolation, ErrorCodes.SlowConsumer);
            }

            if (handle is not null)
            {
                await handle.DisposeAsync();
            }

            GatewayLog.ContextFinished(Logger, context.Id, outcome);
        }
    }

    private async Task<(byte[]? Terminal, string Outcome, bool CancelSession)> PumpAsync(ContextState context, ISessionHandle handle)
    {
        try
        {
            if (!await EnqueueAsync(new OutgoingFrame(ServerMessages.Started(context.Id, handle.SessionId), null), Options.SlowConsumerTimeout, context.Stop.Token))
            {
                return SlowConsumer(context);
            }

            await foreach (var item in handle.Events.WithCancellation(context.Stop.Token))
            {
                switch (item)
                {
                    case AudioChunkEvent chunk:
                        var frame = new OutgoingFrame(ServerMessages.Audio(context.Id, chunk), chunk.Data);
                        if (!await EnqueueAsync(frame, Options.SlowConsumerTimeout, context.Stop.Token))
                        {
                            return SlowConsumer(context);
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
    }

    private (byte[]? Terminal, string Outcome, bool CancelSession) SlowConsumer(ContextState context)
    {
        if (IsClosing || Stopped.IsCancellationRequested)
        {
            return (null, "socket_closed", true);
        }

        GatewayLog.SlowConsumer(Logger, context.Id, Options.SlowConsumerTimeout.TotalMilliseconds);
        var error = new ApiError(
            ErrorCodes.SlowConsumer,
            $"The client did not read audio for {Options.SlowConsumerTimeout.TotalSeconds:0.###} s with the send queue full; the context was cancelled.",
            true);
        return (ServerMessages.Error(context.Id, error), ErrorCodes.SlowConsumer, true);
    }

    private async Task RunCommandsAsync(ContextState context, ISessionHandle handle)
    {
        try
        {
            await foreach (var command in context.Commands.Reader.ReadAllAsync(context.Stop.Token))
            {
                switch (command.Kind)
                {
                    case ContextCommandKind.Append:
                        await handle.AppendTextAsync(command.Text!, context.Stop.Token);
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
        catch (SessionRejectedException exception)
        {
            context.Failure = ApiError.From(exception);
            await context.Stop.CancelAsync();
        }
        catch (Exception exception)
        {
            GatewayLog.BackendCallFailed(Logger, "context command", exception);
            context.Failure = ApiError.Internal();
            await context.Stop.CancelAsync();
        }
    }

    private async Task CancelSessionAsync(ISessionHandle handle)
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
