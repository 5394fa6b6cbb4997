using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Sawt.Gateway.Audio;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Limits;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.WebSockets;

/// <summary>
/// The <c>/v1/ws</c> protocol (docs/protocol.md): several contexts per socket, each a session run by a
/// <see cref="ContextRunner"/>. This class only applies messages that <see cref="ClientMessageReader"/> read whole
/// and valid, after checking them against the socket's state and its key's limits (<see cref="SocketLimits"/>); a
/// message that fails a check changes nothing. Contexts are this socket's alone: no message names another socket's
/// context, so another connection (of any tenant) can neither cancel, feed nor read one.
/// </summary>
internal sealed class TtsSocketConnection(
    WebSocket socket,
    ISessionBackend backend,
    GatewayOptions options,
    TimeProvider time,
    ILogger logger,
    AudioEncoders? encoders = null,
    SocketLimits? limits = null,
    GatewayInstruments? instruments = null)
    : SocketConnection(socket, "/v1/ws", options, time, logger)
{
    private readonly ClientMessageReader _reader = new(options);
    private readonly ConcurrentDictionary<string, ContextState> _contexts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ContextState, Task> _running = new();
    private volatile bool _draining;

    protected override async Task OnTextAsync(ReadOnlyMemory<byte> message)
    {
        switch (_reader.Read(message))
        {
            case InvalidMessage invalid:
                await SendErrorAsync(invalid.ContextId, invalid.Error, EndsContext(invalid.StartsContext, invalid.ContextId));
                break;
            case ParsedSynthesize refused when _draining:
                await SendErrorAsync(refused.ContextId, ShuttingDown("takes no new contexts"), EndsContext(true, refused.ContextId));
                break;
            case ParsedContextMessage valid:
                try
                {
                    Apply(valid);
                }
                catch (ProtocolException exception)
                {
                    await SendErrorAsync(valid.ContextId, ApiError.From(exception), EndsContext(valid is ParsedSynthesize, valid.ContextId));
                }

                break;
        }
    }

    protected override Task OnBinaryAsync(ReadOnlyMemory<byte> message) =>
        SendErrorAsync(null, new ApiError(ErrorCodes.UnexpectedBinary, "Clients send JSON text frames only; the binary frame was ignored.", false), false);

    protected override Task RefuseAsync(ApiError error) => SendErrorAsync(null, error, false);

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

    /// <summary>
    /// New contexts are refused from now on; running ones (incremental input included) go on for DrainTimeout, then
    /// the rest end with <c>shutting_down</c> (their sessions cancelled), each with its terminal message queued before
    /// the socket's 1001 close.
    /// </summary>
    protected override async Task DrainAsync()
    {
        _draining = true;
        var started = Time.GetTimestamp();
        while (!_running.IsEmpty && Options.DrainTimeout - Time.GetElapsedTime(started) is var left && left > TimeSpan.Zero)
        {
            await Task.WhenAll(_running.Values).WaitAsync(left, Time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_running.IsEmpty)
        {
            return;
        }

        var error = ShuttingDown("ended this context before it finished; retry it on a new connection");
        foreach (var context in _contexts.Values)
        {
            context.Failure ??= error;
            await context.Stop.CancelAsync();
        }

        await Task.WhenAll(_running.Values).WaitAsync(Options.CloseTimeout, Time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    protected override bool HasRunningWork => !_running.IsEmpty;

    protected override void OnIdle() =>
        TryEnqueue(new OutgoingFrame(
            ServerMessages.Error(null, new ApiError(ErrorCodes.IdleTimeout, $"No traffic for {Options.IdleTimeout.TotalSeconds:0.###} s; closing.", true)),
            null));

    /// <summary>
    /// Whether a refusal ends its context: only a refused <c>synthesize</c> for an id that is not active (that
    /// context never started, so the error is its terminal message). Any other refusal ends nothing, including
    /// <c>unknown_context</c>: a client racing a <c>done</c> never sees two terminal messages for one context.
    /// </summary>
    private bool EndsContext(bool startsContext, string? contextId) =>
        startsContext && contextId is not null && !_contexts.ContainsKey(contextId);

    /// <summary>Checks the message against the socket's state, then acts; a failed check throws before anything changed.</summary>
    private void Apply(ParsedContextMessage message)
    {
        switch (message)
        {
            case ParsedSynthesize synthesize:
                Start(synthesize);
                break;
            case ParsedText text:
                var context = IncrementalContext(text.ContextId);
                SynthesisRequestParser.CheckTextLength(context.TextLength + text.Text.Length, Options);
                limits?.TakeRequest();
                Command(context, new ContextCommand(ContextCommandKind.Append, text.Text, text.Flush));
                context.TextLength += text.Text.Length;
                break;
            case ParsedFlush flush:
                Command(IncrementalContext(flush.ContextId), new ContextCommand(ContextCommandKind.Flush));
                break;
            case ParsedEnd end:
                End(FindContext(end.ContextId));
                break;
            case ParsedCancel cancel:
                var cancelled = FindContext(cancel.ContextId);
                cancelled.CancelRequested = true;
                cancelled.Stop.Cancel();
                break;
        }
    }

    private static ApiError ShuttingDown(string what) => new(ErrorCodes.ShuttingDown, $"The gateway is shutting down and {what}.", true, 1);

    private void StopAll()
    {
        foreach (var context in _contexts.Values)
        {
            context.Stop.Cancel();
        }
    }

    private void Start(ParsedSynthesize message)
    {
        var id = message.ContextId;
        if (_contexts.ContainsKey(id))
        {
            throw new ProtocolException(ErrorCodes.DuplicateContext, $"Context '{id}' is already active.");
        }

        if (_contexts.Count >= Options.MaxContextsPerSocket)
        {
            throw new ProtocolException(ErrorCodes.TooManyContexts, $"At most {Options.MaxContextsPerSocket} contexts may be active on one socket.");
        }

        // A container encoding (mp3, ogg_opus, aac, flac) is the gateway's to encode: the session makes 16-bit PCM.
        var (start, transcoding) = encoders is null ? (message.Start, null) : ContainerEncoding.Resolve(message.Start, encoders);

        // Last, so a refusal for any other reason costs the key nothing: a running context, then one request.
        var running = limits?.StartContext();
        try
        {
            limits?.TakeRequest();
        }
        catch (ProtocolException)
        {
            running?.Dispose();
            throw;
        }

        var context = new ContextState(id, start.Incremental, start.Text.Length, Options.ContextCommandCapacity);
        _contexts[id] = context;
        var runner = new ContextRunner(context, start, backend, this, Options, Logger, transcoding, instruments);
        _running[context] = runner.RunAsync(finished =>
        {
            // Before the terminal message is queued: once the client sees it, the key's slot is free again.
            running?.Dispose();
            _contexts.TryRemove(new KeyValuePair<string, ContextState>(finished.Id, finished));
            _running.TryRemove(finished, out _);
        });
    }

    private static void End(ContextState context)
    {
        if (!context.Incremental || context.InputEnded)
        {
            return; // Nothing more to say; ending twice or ending a one-shot context is harmless.
        }

        Command(context, new ContextCommand(ContextCommandKind.Complete));
        context.InputEnded = true;
        context.Commands.Writer.TryComplete();
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

    private ContextState IncrementalContext(string id)
    {
        var context = FindContext(id);
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

    private ContextState FindContext(string id) =>
        _contexts.TryGetValue(id, out var context)
            ? context
            : throw new ProtocolException(ErrorCodes.UnknownContext, $"No active context '{id}'.");

    /// <summary>
    /// Control messages from the receive loop wait for room (backpressure on a client that does not read); one that
    /// finds none within SlowConsumerTimeout abandons the socket.
    /// </summary>
    private async Task SendErrorAsync(string? contextId, ApiError error, bool contextEnded)
    {
        GatewayLog.ProtocolError(Logger, error.Code);
        await EnqueueOrAbandonAsync(ServerMessages.Error(contextId, error, contextEnded));
    }
}
