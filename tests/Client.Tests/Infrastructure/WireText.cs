using System.Globalization;
using System.Text.Json;
using Sawt.Protocol;

namespace Sawt.Client.Tests.Infrastructure;

/// <summary>Server frames for scripted sockets, written by the shared protocol records (the gateway writes them the same way).</summary>
internal static class WireText
{
    public static string Started(string contextId) => Write(new StartedMessage(contextId, Guid.NewGuid()));

    public static string Audio(string contextId, int sequence, int bytes, bool isFinal = false) => Write(new AudioMessage(
        contextId, sequence, "pcm_s16le", 24000, bytes, sequence * 40.0, 40.0, 0, 1, isFinal));

    public static string Done(string contextId, int chunks) => Write(new DoneMessage(contextId, 12.5, 0.5, 10, chunks * 40.0, chunks));

    public static string Cancelled(string contextId) => Write(new CancelledMessage(contextId));

    public static string Error(string? contextId, bool? ended, string code, bool retryable = false, long? retryAfterMs = null) =>
        Write(new ErrorMessage(contextId, ended, code, "scripted " + code, retryable, retryAfterMs));

    /// <summary>Distinct bytes per chunk, so a chunk handed to the wrong context or out of order is seen.</summary>
    public static byte[] Payload(string contextId, int sequence, int length) =>
        [.. Enumerable.Range(0, length).Select(i => (byte)((contextId.GetHashCode(StringComparison.Ordinal) + (sequence * 31) + i) & 0xFF))];

    public static string Field(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
            : "(absent)";
    }

    public static string Type(string json) => Field(json, "type");

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Write(ServerMessage message) => JsonSerializer.Serialize(message, ProtocolJsonContext.Default.ServerMessage);
}
