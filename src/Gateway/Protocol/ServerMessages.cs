using System.Buffers;
using System.Text.Json;
using Sawt.Contracts.Sessions;

namespace Sawt.Gateway.Protocol;

/// <summary>
/// JSON text frames the server sends on <c>/v1/ws</c> and the HTTP error body, written from the shared protocol
/// records (see docs/protocol.md); the user's guide's compatibility messages, which no client library speaks, are
/// written here by hand.
/// </summary>
internal static class ServerMessages
{
    public static byte[] Started(string contextId, Guid sessionId) => Write(new StartedMessage(contextId, sessionId));

    public static byte[] Audio(string contextId, AudioChunkEvent chunk) => Write(new AudioMessage(
        contextId,
        chunk.Sequence,
        chunk.Encoding,
        chunk.SampleRate,
        chunk.Data.Length,
        Math.Round(chunk.StartMilliseconds, 3),
        Math.Round(chunk.DurationMilliseconds, 3),
        chunk.TextStart,
        chunk.TextLength,
        chunk.IsFinal));

    public static byte[] Done(string contextId, SessionStats stats) => Write(new DoneMessage(
        contextId,
        Math.Round(stats.TimeToFirstAudioMilliseconds, 3),
        Math.Round(stats.RealTimeFactor, 4),
        stats.SpeechTokens,
        Math.Round(stats.AudioSeconds * 1000, 3),
        stats.Chunks,
        stats.StopReason,
        stats.AlignmentWarnings));

    public static byte[] Cancelled(string contextId) => Write(new CancelledMessage(contextId));

    /// <param name="contextId">The context the error concerns, if any.</param>
    /// <param name="error">The error.</param>
    /// <param name="contextEnded">True when nothing more will be sent for that context (written only with a context id).</param>
    public static byte[] Error(string? contextId, ApiError error, bool contextEnded = true) => Write(new ErrorMessage(
        contextId,
        contextId is null ? null : contextEnded,
        error.Code,
        error.Message,
        error.Retryable,
        error.RetryAfterMilliseconds));

    /// <summary>The compatibility endpoint's end marker: <c>{"status":"complete","latency_ms":..}</c>.</summary>
    public static byte[] CompatComplete(double latencyMilliseconds, double totalMilliseconds) => Write(w =>
    {
        w.WriteString("status", "complete");
        w.WriteNumber("latency_ms", Math.Round(latencyMilliseconds, 1));
        w.WriteNumber("total_ms", Math.Round(totalMilliseconds, 1));
    });

    public static byte[] CompatError(ApiError error) => Write(w =>
    {
        w.WriteString("status", "error");
        w.WriteString("code", error.Code);
        w.WriteString("message", error.Message);
        w.WriteBoolean("retryable", error.Retryable);
    });

    /// <summary>The HTTP error body: <c>{"error":{"code","message","retryable"}}</c>.</summary>
    public static byte[] HttpError(ApiError error) => JsonSerializer.SerializeToUtf8Bytes(
        new HttpErrorResponse(new HttpErrorDetail(error.Code, error.Message, error.Retryable, error.RetryAfterMilliseconds)),
        ProtocolJsonContext.Default.HttpErrorResponse);

    /// <summary>A <c>/v1/ws</c> message, by the shared records (Sawt.Protocol): <c>type</c> first, absent fields left out.</summary>
    private static byte[] Write(ServerMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, ProtocolJsonContext.Default.ServerMessage);

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
