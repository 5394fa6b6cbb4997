using Sawt.Bench.Reporting;
using Sawt.Inference.Sampling;

namespace Sawt.Bench.Engine;

/// <summary>Everything the engine bench measured, per bundle size.</summary>
internal sealed record EngineBenchReport(EngineBenchSettings Settings, IReadOnlyList<BundleMeasurements> Bundles);

/// <summary>One bundle size: setup costs and the four measurements.</summary>
internal sealed record BundleMeasurements(
    BenchBundleSize Size,
    double GenerateSeconds,
    double LoadSeconds,
    IReadOnlyList<FirstTokenMeasurement> FirstToken,
    IReadOnlyList<DecodeMeasurement> Decode,
    DecoderMeasurement Decoder,
    IReadOnlyList<UtteranceMeasurement> Utterances);

/// <summary>Prefill of one sequence plus its first sampled token, in milliseconds.</summary>
internal sealed record FirstTokenMeasurement(string Language, int Characters, int TextIds, int PrefillPositions, int Rows, Summary Milliseconds);

/// <summary>
/// A fixed number of decode steps over <see cref="Batch"/> sequences. Time per token counts tokens actually
/// produced (sequences that stopped early stop counting); its inverse is the throughput.
/// Early and late are the mean step times of the first and last eighth of the window (the KV cache grows in between).
/// </summary>
internal sealed record DecodeMeasurement(int Batch, int Rows, Summary PrefillMilliseconds, Summary MillisecondsPerStep, Summary EarlyMillisecondsPerStep, Summary LateMillisecondsPerStep, Summary MillisecondsPerToken, IReadOnlyList<StopReason> StoppedEarly, int SequencesRun);

/// <summary>conditional_decoder on <see cref="Tokens"/> speech tokens (plus the voice prompt), in milliseconds.</summary>
internal sealed record DecoderMeasurement(int Tokens, int PromptTokens, Summary Milliseconds);

/// <summary>One typical sentence through <c>TtsEngine.SynthesizeAsync</c>.</summary>
internal sealed record UtteranceMeasurement(
    string Language,
    int Characters,
    int SpeechTokens,
    double AudioSeconds,
    StopReason StopReason,
    Summary FirstTokenMilliseconds,
    Summary GenerationMilliseconds,
    Summary DecodeMilliseconds,
    Summary RealTimeFactor);
