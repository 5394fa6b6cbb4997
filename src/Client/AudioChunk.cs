using Sawt.Protocol;

namespace Sawt.Client;

/// <summary>One chunk of a context's audio: its <c>audio</c> message and the bytes of the binary frame that followed it.</summary>
/// <param name="Metadata">Sequence, encoding, sample rate, timing and the text span being spoken.</param>
/// <param name="Data">The encoded audio (<see cref="AudioMessage.Bytes"/> bytes; may be empty for container encodings).</param>
public sealed record AudioChunk(AudioMessage Metadata, ReadOnlyMemory<byte> Data);
