using System.Net.WebSockets;
using System.Text.Json;
using Sawt.Protocol;

namespace Sawt.Client;

/// <summary>
/// Turns the whole frames of one <c>/v1/ws</c> socket, in order, into server messages and audio chunks. The gateway
/// writes every <c>audio</c> message immediately followed by its binary frame (docs/protocol.md, Pairing), so one
/// pending-metadata slot is enough, whatever the number of contexts; anything else breaks the protocol.
/// </summary>
internal sealed class FrameAssembler
{
    private AudioMessage? _pending;

    /// <summary>
    /// The next frame's meaning: a message, a chunk, or neither (an <c>audio</c> message waiting for its frame, or a
    /// message of a type this client does not know, which newer gateways may send). Throws
    /// <see cref="SawtException"/> <c>protocol_violation</c> when the frames do not pair.
    /// </summary>
    public ReceivedFrame Accept(WebSocketMessageType type, ReadOnlySpan<byte> payload)
    {
        if (_pending is { } pending)
        {
            if (type != WebSocketMessageType.Binary)
            {
                throw SawtException.Violation($"Audio {pending.Sequence} of context '{pending.ContextId}' was not followed by its binary frame.");
            }

            if (payload.Length != pending.Bytes)
            {
                throw SawtException.Violation($"Audio {pending.Sequence} of context '{pending.ContextId}' announced {pending.Bytes} bytes; its frame has {payload.Length}.");
            }

            _pending = null;
            return new ReceivedFrame(null, new AudioChunk(pending, payload.ToArray()));
        }

        if (type != WebSocketMessageType.Text)
        {
            throw SawtException.Violation("A binary frame came without an audio message before it.");
        }

        ServerMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(payload, ProtocolJsonContext.Default.ServerMessage);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            // An unknown type, no type, or a malformed message carries no audio: skipping it keeps the pairing intact.
            return ReceivedFrame.Unknown;
        }

        if (message is AudioMessage audio)
        {
            _pending = audio;
            return ReceivedFrame.Nothing;
        }

        return message is null ? ReceivedFrame.Unknown : new ReceivedFrame(message, null);
    }
}
