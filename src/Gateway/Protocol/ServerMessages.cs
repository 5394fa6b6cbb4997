using System.Buffers;
using System.Text.Json;
using Sawt.Contracts.Sessions;

namespace Sawt.Gateway.Protocol;

/// <summary>JSON text frames the server sends on <c>/v1/ws</c> (see docs/protocol.md).</summary>
internal static class ServerMessages
{
    public static byte[] Started(string contextId, Guid sessionId) => Write(w =>
    {
        w.WriteString("type", "started");
        w.WriteString("context_id", contextId);
        w.WriteString("session_id", sessionId);
    });

    public static byte[] Audio(string contextId, AudioChunkEvent chunk) => Write(w =>
    {
        w.WriteString("type", "audio");
        w.WriteString("context_id", contextId);
        w.WriteNumber("sequence", chunk.Sequence);
        w.WriteString("encoding", chunk.Encoding);
        w.WriteNumber("sample_rate", chunk.SampleRate);
        w.WriteNumber("bytes", chunk.Data.Length);
        w.WriteNumber("start_ms", Math.Round(chunk.StartMilliseconds, 3));
        w.WriteNumber("duration_ms", Math.Round(chunk.DurationMilliseconds, 3));
        w.WriteNumber("text_start", chunk.TextStart);
        w.WriteNumber("text_length", chunk.TextLength);
        w.WriteBoolean("is_final", chunk.IsFinal);
    });

    public static byte[] Done(string contextId, SessionStats stats) => Write(w =>
    {
        w.WriteString("type", "done");
        w.WriteString("context_id", contextId);
        w.WriteNumber("time_to_first_audio_ms", Math.Round(stats.TimeToFirstAudioMilliseconds, 3));
        w.WriteNumber("real_time_factor", Math.Round(stats.RealTimeFactor, 4));
        w.WriteNumber("tokens", stats.SpeechTokens);
        w.WriteNumber("audio_ms", Math.Round(stats.AudioSeconds * 1000, 3));
        w.WriteNumber("chunks", stats.Chunks);
    });

    public static byte[] Cancelled(string contextId) => Write(w =>
    {
        w.WriteString("type", "cancelled");
        w.WriteString("context_id", contextId);
    });

    /// <param name="contextId">The context the error concerns, if any.</param>
    /// <param name="error">The error.</param>
    /// <param name="contextEnded">True when nothing more will be sent for that context (written only with a context id).</param>
    public static byte[] Error(string? contextId, ApiError error, bool contextEnded = true) => Write(w =>
    {
        w.WriteString("type", "error");
        if (contextId is not null)
        {
            w.WriteString("context_id", contextId);
            w.WriteBoolean("context_ended", contextEnded);
        }

        w.WriteString("code", error.Code);
        w.WriteString("message", error.Message);
        w.WriteBoolean("retryable", error.Retryable);
        if (error.RetryAfterMilliseconds is { } retryAfter)
        {
            w.WriteNumber("retry_after_ms", retryAfter);
        }
    });

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
    public static byte[] HttpError(ApiError error) => Write(w =>
    {
        w.WriteStartObject("error");
        w.WriteString("code", error.Code);
        w.WriteString("message", error.Message);
        w.WriteBoolean("retryable", error.Retryable);
        if (error.RetryAfterMilliseconds is { } retryAfter)
        {
            w.WriteNumber("retry_after_ms", retryAfter);
        }

        w.WriteEndObject();
    });

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
