namespace Sawt.Bench.Load;

/// <summary>One <c>audio</c> message of a context and the length of the binary frame that came with it.</summary>
/// <param name="Sequence">The message's sequence number.</param>
/// <param name="Bytes">The binary frame's length (equal to the message's <c>bytes</c> when paired correctly).</param>
/// <param name="Timestamp">When the <c>audio</c> message arrived (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</param>
/// <param name="IsFinal">The message's <c>is_final</c>.</param>
internal sealed record ReceivedChunk(int Sequence, int Bytes, long Timestamp, bool IsFinal);
