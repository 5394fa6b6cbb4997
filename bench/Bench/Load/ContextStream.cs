using Sawt.Protocol;

namespace Sawt.Bench.Load;

/// <summary>What one context received on its socket, as <see cref="StreamVerifier"/> assembled it from the frames.</summary>
internal sealed class ContextStream(string contextId)
{
    private readonly List<ReceivedChunk> _chunks = [];

    public string ContextId { get; } = contextId;

    public bool Started { get; internal set; }

    /// <summary>The chunks in arrival order (duplicates and all, as they came).</summary>
    public IReadOnlyList<ReceivedChunk> Chunks => _chunks;

    /// <summary>Encoding and sample rate of the first chunk; null before any.</summary>
    public (string Encoding, int SampleRate)? Format { get; internal set; }

    /// <summary>The first terminal message (<c>done</c>, <c>cancelled</c>, an <c>error</c> with <c>context_ended</c>); null when none came.</summary>
    public ServerMessage? Terminal { get; internal set; }

    public long? TerminalTimestamp { get; internal set; }

    public int TerminalCount { get; internal set; }

    public DoneMessage? Done => Terminal as DoneMessage;

    /// <summary>The error code of an <c>error</c> terminal; null otherwise.</summary>
    public string? ErrorCode => (Terminal as ErrorMessage)?.Code;

    internal void Add(ReceivedChunk chunk) => _chunks.Add(chunk);
}
