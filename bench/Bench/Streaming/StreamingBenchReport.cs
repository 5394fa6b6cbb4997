using Sawt.Bench.Reporting;
using Sawt.Inference.Streaming;

namespace Sawt.Bench.Streaming;

/// <summary>Everything the streaming bench measured, per bundle.</summary>
internal sealed record StreamingBenchReport(StreamingBenchSettings Settings, IReadOnlyList<StreamingBundleMeasurements> Bundles);

/// <summary>One bundle: row label, what was loaded, setup costs (generation only for a synthetic bundle) and the four measurements, per language.</summary>
internal sealed record StreamingBundleMeasurements(
    string Name,
    string Description,
    double? GenerateSeconds,
    double LoadSeconds,
    IReadOnlyList<ScheduleMeasurement> Schedules,
    IReadOnlyList<OneCallMeasurement> OneCall,
    IReadOnlyList<SeamMeasurement> Seams,
    IReadOnlyList<IncrementalMeasurement> Incremental);

/// <summary>
/// One text streamed with one chunk schedule. Chunks counts chunks that carry audio. Gaps are between the arrivals
/// of consecutive audio chunks; the gap ratio is a gap over the audio duration of the chunk before it (above 1, that
/// chunk played out before the next arrived, unless earlier audio was still buffered). Stalls replay the arrivals
/// against a player that starts at the first audio and plays without pause: a stall is a chunk that arrives after
/// everything received so far has played; stall time is the silence summed over the run.
/// </summary>
internal sealed record ScheduleMeasurement(
    string Language,
    IReadOnlyList<int> Schedule,
    int Segments,
    int Chunks,
    int SpeechTokens,
    double AudioSeconds,
    Summary FirstAudioMilliseconds,
    Summary MeanGapMilliseconds,
    Summary MaxGapMilliseconds,
    Summary MaxGapRatio,
    Summary Stalls,
    Summary StallMilliseconds,
    Summary WallMilliseconds,
    Summary RealTimeFactor,
    Summary DecoderShare);

/// <summary>The same text in one <c>SynthesizeAsync</c> call: time until the whole audio is there.</summary>
internal sealed record OneCallMeasurement(string Language, int SpeechTokens, double AudioSeconds, Summary WallMilliseconds, Summary RealTimeFactor);

/// <summary>
/// Seams of the default-schedule stream against each sentence decoded in one call with the same seed (the stream
/// generates sentence by sentence, so one call over the whole text would give different tokens).
/// <see cref="Report"/> is null when the lengths differ; <see cref="Note"/> says why.
/// </summary>
internal sealed record SeamMeasurement(string Language, SeamReport? Report, string? Note);

/// <summary>
/// The incremental context path: the text arrives in pieces at a fixed pace (clock starts at the first piece);
/// time to the first chunk with audio. <see cref="FirstSegmentArrivesMilliseconds"/> is when, at that pace, the last
/// piece of the first segment the buffer can speak arrives (nominal, from the piece schedule).
/// </summary>
internal sealed record IncrementalMeasurement(string Language, int Pieces, double TextArrivesMilliseconds, double FirstSegmentArrivesMilliseconds, Summary FirstAudioMilliseconds);
