namespace Sawt.Bench.Load;

/// <summary>What a stream got wrong (docs/protocol.md, Pairing and Order and termination).</summary>
internal enum ViolationKind
{
    /// <summary>A sequence number never arrived (lost chunk).</summary>
    Gap,

    /// <summary>A sequence number arrived twice.</summary>
    Duplicate,

    /// <summary>A sequence number arrived before one below it.</summary>
    Reorder,

    /// <summary>An <c>audio</c> message not followed by exactly its binary frame, or a binary frame without one.</summary>
    Pairing,

    /// <summary>No terminal message, or more than one.</summary>
    Terminal,

    /// <summary>A message of the context after its terminal message, audio before <c>started</c>, a second <c>started</c>, <c>is_final</c> on a chunk that was not the last.</summary>
    Order,

    /// <summary>The audio received does not match <c>done</c>'s figures (chunks, milliseconds, tokens).</summary>
    Length,

    /// <summary>A message for a context the generator never opened on that socket, or an unreadable frame.</summary>
    Unexpected,
}
