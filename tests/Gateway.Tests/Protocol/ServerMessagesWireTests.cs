using System.Buffers;
using System.Text;
using System.Text.Json;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Tests.Protocol;

/// <summary>
/// The server's messages, now written from the shared records (Sawt.Protocol), are byte for byte what the gateway's
/// hand-written <see cref="Utf8JsonWriter"/> code wrote before: the oracle below is that code, kept here.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ServerMessagesWireTests
{
    private static readonly AudioChunkEvent Chunk = new(7, new byte[123], "pcm_s16le", 24000, 1234.56789, 40.0001, 12, 34, 2, 9, IsFinal: true);

    private static readonly SessionStats Stats = new(101.23456, 0.123456, 88, 2.3456789, 5, 2);

    public static TheoryData<string?, string, string, bool, double?, bool> Errors => new()
    {
        { null, ErrorCodes.InvalidJson, "The message is not valid JSON.", false, null, true },
        { "ctx-1", ErrorCodes.Busy, "Full; retry \"soon\" — é ✓", true, 1.2345, true },
        { "ctx-2", ErrorCodes.UnknownContext, "No such context.", false, null, false },
        { "ctx-<3>", ErrorCodes.InternalError, "The gateway failed to reach the cluster.", true, 1, true },
    };

    [Fact]
    public void Started_IsWhatTheWriterWrote()
    {
        var session = Guid.NewGuid();
        Assert.Equal(Oracle(w =>
        {
            w.WriteString("type", "started");
            w.WriteString("context_id", "c&1");
            w.WriteString("session_id", session);
        }), Text(ServerMessages.Started("c&1", session)));
    }

    [Fact]
    public void Audio_IsWhatTheWriterWrote()
    {
        Assert.Equal(Oracle(w =>
        {
            w.WriteString("type", "audio");
            w.WriteString("context_id", "ctx");
            w.WriteNumber("sequence", Chunk.Sequence);
            w.WriteString("encoding", Chunk.Encoding);
            w.WriteNumber("sample_rate", Chunk.SampleRate);
            w.WriteNumber("bytes", Chunk.Data.Length);
            w.WriteNumber("start_ms", Math.Round(Chunk.StartMilliseconds, 3));
            w.WriteNumber("duration_ms", Math.Round(Chunk.DurationMilliseconds, 3));
            w.WriteNumber("text_start", Chunk.TextStart);
            w.WriteNumber("text_length", Chunk.TextLength);
            w.WriteBoolean("is_final", Chunk.IsFinal);
        }), Text(ServerMessages.Audio("ctx", Chunk)));
    }

    [Fact]
    public void DoneAndCancelled_AreWhatTheWriterWrote()
    {
        Assert.Equal(Oracle(w =>
        {
            w.WriteString("type", "done");
            w.WriteString("context_id", "ctx");
            w.WriteNumber("time_to_first_audio_ms", Math.Round(Stats.TimeToFirstAudioMilliseconds, 3));
            w.WriteNumber("real_time_factor", Math.Round(Stats.RealTimeFactor, 4));
            w.WriteNumber("tokens", Stats.SpeechTokens);
            w.WriteNumber("audio_ms", Math.Round(Stats.AudioSeconds * 1000, 3));
            w.WriteNumber("chunks", Stats.Chunks);
        }), Text(ServerMessages.Done("ctx", Stats)));
        Assert.Equal(Oracle(w =>
        {
            w.WriteString("type", "cancelled");
            w.WriteString("context_id", "ctx");
        }), Text(ServerMessages.Cancelled("ctx")));
    }

    [Fact]
    public void Done_WithStopReasonAndWarnings_AddsThemAfterTheFigures()
    {
        var stats = Stats with { StopReason = "long_tail", AlignmentWarnings = ["false_start", "discontinuity"] };
        Assert.Equal(Oracle(w =>
        {
            w.WriteString("type", "done");
            w.WriteString("context_id", "ctx");
            w.WriteNumber("time_to_first_audio_ms", Math.Round(Stats.TimeToFirstAudioMilliseconds, 3));
            w.WriteNumber("real_time_factor", Math.Round(Stats.RealTimeFactor, 4));
            w.WriteNumber("tokens", Stats.SpeechTokens);
            w.WriteNumber("audio_ms", Math.Round(Stats.AudioSeconds * 1000, 3));
            w.WriteNumber("chunks", Stats.Chunks);
            w.WriteString("stop_reason", "long_tail");
            w.WriteStartArray("alignment_warnings");
            w.WriteStringValue("false_start");
            w.WriteStringValue("discontinuity");
            w.WriteEndArray();
        }), Text(ServerMessages.Done("ctx", stats)));
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void ErrorAndHttpError_AreWhatTheWriterWrote(string? contextId, string code, string message, bool retryable, double? retryAfterSeconds, bool contextEnded)
    {
        var error = new ApiError(code, message, retryable, retryAfterSeconds);

        Assert.Equal(Oracle(w =>
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
        }), Text(ServerMessages.Error(contextId, error, contextEnded)));
        Assert.Equal(Oracle(w =>
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
        }), Text(ServerMessages.HttpError(error)));
    }

    /// <summary>The gateway's writer before the records: one object, default encoder, no indentation.</summary>
    private static string Oracle(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);
}
