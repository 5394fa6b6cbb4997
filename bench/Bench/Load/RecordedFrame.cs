using Sawt.Protocol;

namespace Sawt.Bench.Load;

/// <summary>
/// One frame a load socket received, as the recorder saw it before the client interpreted it: a text frame's
/// message (null when it was not a readable server message), or a binary frame's length.
/// </summary>
/// <param name="Timestamp">When it arrived (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</param>
/// <param name="IsBinary">A binary (audio) frame.</param>
/// <param name="Message">The text frame's message; null for a binary or unreadable frame.</param>
/// <param name="BinaryBytes">A binary frame's length.</param>
internal readonly record struct RecordedFrame(long Timestamp, bool IsBinary, ServerMessage? Message, int BinaryBytes)
{
    public static RecordedFrame Text(long timestamp, ServerMessage? message) => new(timestamp, false, message, 0);

    public static RecordedFrame Binary(long timestamp, int bytes) => new(timestamp, true, null, bytes);
}
