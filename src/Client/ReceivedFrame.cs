using Sawt.Protocol;

namespace Sawt.Client;

/// <summary>What one frame meant (<see cref="FrameAssembler"/>): at most one of a message and a chunk.</summary>
internal readonly record struct ReceivedFrame(ServerMessage? Message, AudioChunk? Audio, bool Unreadable = false)
{
    public static ReceivedFrame Nothing => default;

    public static ReceivedFrame Unknown => new(null, null, Unreadable: true);
}
