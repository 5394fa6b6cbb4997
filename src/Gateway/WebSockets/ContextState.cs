using System.Threading.Channels;

namespace Sawt.Gateway.WebSockets;

/// <summary>One active context on a <c>/v1/ws</c> socket.</summary>
internal sealed class ContextState(string id, bool incremental, int textLength, int commandCapacity)
{
    public string Id { get; } = id;

    public bool Incremental { get; } = incremental;

    /// <summary>Characters received so far (start text plus every <c>text</c> message).</summary>
    public int TextLength { get; set; } = textLength;

    /// <summary>Set once <c>end</c> was received; later <c>text</c>/<c>flush</c> are refused.</summary>
    public bool InputEnded { get; set; }

    /// <summary>
    /// Incremental input, applied in order once the session has started. Each client message is at most one
    /// command, so a message is either queued whole or refused whole (<c>too_many_messages</c>).
    /// </summary>
    public Channel<ContextCommand> Commands { get; } = Channel.CreateBounded<ContextCommand>(
        new BoundedChannelOptions(commandCapacity) { SingleReader = true, SingleWriter = true });

    /// <summary>
    /// Cancelled on <c>cancel</c>, on a failed command and when the socket ends. Never disposed: the receive loop
    /// may still cancel it after the context finished, and a plain source holds no timer.
    /// </summary>
    public CancellationTokenSource Stop { get; } = new();

    /// <summary>The client asked to cancel: the context ends with a <c>cancelled</c> acknowledgement.</summary>
    public volatile bool CancelRequested;

    /// <summary>Why the context is ending when it is not the session's own outcome (a failed command).</summary>
    public Protocol.ApiError? Failure { get; set; }
}

/// <summary>Incremental input for a context's session: text (then a flush when <paramref name="Flush"/>), a flush, or the end.</summary>
internal readonly record struct ContextCommand(ContextCommandKind Kind, string? Text = null, bool Flush = false);

internal enum ContextCommandKind
{
    Append,
    Flush,
    Complete,
}
