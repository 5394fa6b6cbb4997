using Sawt.Protocol;

namespace Sawt.Bench.Load;

/// <summary>
/// Checks one socket's frames against docs/protocol.md, whatever the client made of them: per context, <c>started</c>
/// once and first; audio sequence numbers 0, 1, 2, ... each once, in order, none missing; every <c>audio</c> message
/// immediately followed by exactly its binary frame; exactly one terminal message and nothing after it; and for a
/// <c>done</c>, the audio received matches its figures (chunks, milliseconds and, at the model's 24 kHz, whole
/// tokens of 960 samples). Pure: frames in, streams and violations out.
/// </summary>
internal static class StreamVerifier
{
    /// <summary>The model's rate: one speech token is 40 ms, 960 samples, at this rate only (others are resampled).</summary>
    public const int TokenSampleRate = 24000;

    public const int SamplesPerToken = 960;

    public static StreamVerification Verify(IReadOnlyList<RecordedFrame> frames, IEnumerable<string> openedContexts)
    {
        var streams = new Dictionary<string, ContextStream>(StringComparer.Ordinal);
        foreach (var id in openedContexts)
        {
            streams.TryAdd(id, new ContextStream(id));
        }

        var violations = new List<StreamViolation>();
        var socketErrors = new List<string>();
        var sequences = new Dictionary<string, SequenceTracker>(StringComparer.Ordinal);
        (AudioMessage Message, long Timestamp)? pending = null;

        foreach (var frame in frames)
        {
            if (pending is { } audio)
            {
                pending = null;
                if (frame.IsBinary)
                {
                    if (frame.BinaryBytes != audio.Message.Bytes)
                    {
                        violations.Add(new(ViolationKind.Pairing, audio.Message.ContextId, $"audio {audio.Message.Sequence} announced {audio.Message.Bytes} bytes; its frame has {frame.BinaryBytes}"));
                    }

                    AcceptAudio(audio.Message, frame.BinaryBytes, audio.Timestamp);
                    continue;
                }

                violations.Add(new(ViolationKind.Pairing, audio.Message.ContextId, $"audio {audio.Message.Sequence} was not followed by its binary frame"));
                AcceptAudio(audio.Message, 0, audio.Timestamp);
            }

            if (frame.IsBinary)
            {
                violations.Add(new(ViolationKind.Pairing, null, $"a binary frame of {frame.BinaryBytes} bytes came without an audio message before it"));
                continue;
            }

            switch (frame.Message)
            {
                case null:
                    violations.Add(new(ViolationKind.Unexpected, null, "an unreadable text frame"));
                    break;
                case AudioMessage message:
                    pending = (message, frame.Timestamp);
                    break;
                case StartedMessage started when Known(started.ContextId, "started") is { } stream:
                    if (stream.Terminal is not null)
                    {
                        violations.Add(new(ViolationKind.Order, stream.ContextId, "started after the terminal message"));
                    }
                    else if (stream.Started)
                    {
                        violations.Add(new(ViolationKind.Order, stream.ContextId, "a second started"));
                    }

                    stream.Started = true;
                    break;
                case DoneMessage done when Known(done.ContextId, "done") is { } stream:
                    Terminate(stream, done, frame.Timestamp);
                    break;
                case CancelledMessage cancelled when Known(cancelled.ContextId, "cancelled") is { } stream:
                    Terminate(stream, cancelled, frame.Timestamp);
                    break;
                case ErrorMessage { ContextId: null } error:
                    socketErrors.Add(error.Code);
                    break;
                case ErrorMessage { ContextEnded: true } error when Known(error.ContextId!, "error " + error.Code) is { } stream:
                    Terminate(stream, error, frame.Timestamp);
                    break;
                case ErrorMessage error:
                    // A refusal that ends nothing (context_ended false): not a terminal, and legal at any time.
                    socketErrors.Add(error.Code);
                    break;
            }
        }

        if (pending is { } last)
        {
            violations.Add(new(ViolationKind.Pairing, last.Message.ContextId, $"audio {last.Message.Sequence} was the socket's last frame, without its binary frame"));
            AcceptAudio(last.Message, 0, last.Timestamp);
        }

        foreach (var stream in streams.Values)
        {
            Finish(stream, sequences.GetValueOrDefault(stream.ContextId), violations);
        }

        return new StreamVerification(streams, violations, socketErrors);

        ContextStream? Known(string contextId, string what)
        {
            if (streams.TryGetValue(contextId, out var stream))
            {
                return stream;
            }

            violations.Add(new(ViolationKind.Unexpected, contextId, $"{what} for a context never opened on this socket"));
            return null;
        }

        void AcceptAudio(AudioMessage message, int bytes, long timestamp)
        {
            if (Known(message.ContextId, $"audio {message.Sequence}") is not { } stream)
            {
                return;
            }

            if (stream.Terminal is not null)
            {
                violations.Add(new(ViolationKind.Order, stream.ContextId, $"audio {message.Sequence} after the terminal message"));
            }
            else if (!stream.Started)
            {
                violations.Add(new(ViolationKind.Order, stream.ContextId, $"audio {message.Sequence} before started"));
            }

            if (stream.Chunks.Count > 0 && stream.Chunks[^1].IsFinal)
            {
                violations.Add(new(ViolationKind.Order, stream.ContextId, $"audio {message.Sequence} after the final chunk {stream.Chunks[^1].Sequence}"));
            }

            stream.Format ??= (message.Encoding, message.SampleRate);
            if (!sequences.TryGetValue(stream.ContextId, out var tracker))
            {
                tracker = new SequenceTracker();
                sequences[stream.ContextId] = tracker;
            }

            if (tracker.Accept(message.Sequence) is { } problem)
            {
                violations.Add(new(problem.Kind, stream.ContextId, problem.Detail));
            }

            stream.Add(new ReceivedChunk(message.Sequence, bytes, timestamp, message.IsFinal));
        }

        void Terminate(ContextStream stream, ServerMessage terminal, long timestamp)
        {
            stream.TerminalCount++;
            if (stream.Terminal is null)
            {
                stream.Terminal = terminal;
                stream.TerminalTimestamp = timestamp;
                return;
            }

            violations.Add(new(ViolationKind.Terminal, stream.ContextId, $"a second terminal message ({Describe(terminal)} after {Describe(stream.Terminal)})"));
        }
    }

    private static void Finish(ContextStream stream, SequenceTracker? tracker, List<StreamViolation> violations)
    {
        if (stream.Terminal is null)
        {
            violations.Add(new(ViolationKind.Terminal, stream.ContextId, $"no terminal message ({stream.Chunks.Count} chunks received)"));
        }

        if (tracker is not null && tracker.Missing() is { Count: > 0 } missing)
        {
            violations.Add(new(ViolationKind.Gap, stream.ContextId, $"sequence numbers never received: {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", ..." : string.Empty)}"));
        }

        if (stream.Done is not { } done)
        {
            return;
        }

        var distinct = tracker?.Distinct ?? 0;
        if (done.Chunks != distinct)
        {
            violations.Add(new(done.Chunks > distinct ? ViolationKind.Gap : ViolationKind.Length, stream.ContextId, $"done reports {done.Chunks} chunks; {distinct} distinct arrived"));
        }

        if (stream.Chunks.Count > 0 && !stream.Chunks[^1].IsFinal)
        {
            violations.Add(new(ViolationKind.Order, stream.ContextId, $"done after chunk {stream.Chunks[^1].Sequence}, which is not marked final"));
        }

        CheckLength(stream, done, violations);
    }

    /// <summary>The bytes received against <c>done</c>'s audio_ms and tokens, for raw PCM (other encodings have no fixed bytes per sample).</summary>
    private static void CheckLength(ContextStream stream, DoneMessage done, List<StreamViolation> violations)
    {
        if (stream.Format is not { } format || BytesPerSample(format.Encoding) is not { } width)
        {
            return;
        }

        // Each sequence counted once: a duplicate is reported as such, not again as extra audio.
        long bytes = stream.Chunks.DistinctBy(c => c.Sequence).Sum(c => (long)c.Bytes);
        if (bytes % width != 0)
        {
            violations.Add(new(ViolationKind.Length, stream.ContextId, $"{bytes} bytes of {format.Encoding} is not a whole number of samples"));
            return;
        }

        var samples = bytes / width;
        var announced = done.AudioMilliseconds * format.SampleRate / 1000.0;

        // audio_ms is the sample count over the rate; one sample of rounding either way.
        if (Math.Abs(samples - announced) > 1)
        {
            violations.Add(new(ViolationKind.Length, stream.ContextId, $"{samples} samples received; done reports {done.AudioMilliseconds:F3} ms ({announced:F1} samples)"));
        }

        if (format.SampleRate != TokenSampleRate)
        {
            return;
        }

        // Each token decodes to 960 samples; after a STOP the segment's last token is cut (docs/architecture.md), so
        // tokens - samples/960 counts the segments that stopped: at least 0, at most one per chunk.
        var trimmed = done.Tokens - (samples / SamplesPerToken);
        if (samples % SamplesPerToken != 0 || trimmed < 0 || trimmed > done.Chunks)
        {
            violations.Add(new(ViolationKind.Length, stream.ContextId, $"{samples} samples received for {done.Tokens} tokens in {done.Chunks} chunks; expected 960 per token, less at most one per chunk"));
        }
    }

    private static int? BytesPerSample(string encoding) => encoding switch
    {
        "pcm_f32le" => 4,
        "pcm_s16le" => 2,
        "mulaw" or "alaw" => 1,
        _ => null,
    };

    private static string Describe(ServerMessage message) => message switch
    {
        DoneMessage => "done",
        CancelledMessage => "cancelled",
        ErrorMessage error => "error " + error.Code,
        _ => message.GetType().Name,
    };
}
