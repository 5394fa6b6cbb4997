using Sawt.Bench.Reporting;
using Sawt.Inference.Sampling;

namespace Sawt.Bench.Engine;

/// <summary>Everything the engine bench measured, per bundle.</summary>
internal sealed record EngineBenchReport(EngineBenchSettings Settings, IReadOnlyList<BundleMeasurements> Bundles);

/// <summary>
/// One bundle: its row label (size name or directory name), what was loaded, setup costs (generation only for a
/// synthetic bundle), the engine's measurements and the raw ONNX Runtime loop on the same language model.
/// </summary>
internal sealed record BundleMeasurements(
    string Name,
    string Description,
    double? GenerateSeconds,
    double LoadSeconds,
    IReadOnlyList<FirstTokenMeasurement> FirstToken,
    IReadOnlyList<DecodeMeasurement> Decode,
    IReadOnlyList<RawLoopMeasurement> RawLoop,
    DecoderMeasurement Decoder,
    IReadOnlyList<UtteranceMeasurement> Utterances)
{
    /// <summary>Engine against raw loop per batch size both measured, as the decode table shows them (derived; not read back from JSON).</summary>
    public IReadOnlyList<EngineOverhead> Overhead => EngineOverhead.Pair(Decode, RawLoop);
}

/// <summary>Prefill of one sequence plus its first sampled token, in milliseconds.</summary>
internal sealed record FirstTokenMeasurement(string Language, int Characters, int TextIds, int PrefillPositions, int Rows, Summary Milliseconds);

/// <summary>
/// A fixed number of decode steps over <see cref="Batch"/> sequences. Time per token counts tokens actually
/// produced (sequences that stopped early stop counting); its inverse is the throughput.
/// Early and late are the mean step times of the first and last eighth of the window (the KV cache grows in between).
/// </summary>
internal sealed record DecodeMeasurement(int Batch, int Rows, Summary PrefillMilliseconds, Summary MillisecondsPerStep, Summary EarlyMillisecondsPerStep, Summary LateMillisecondsPerStep, Summary MillisecondsPerToken, IReadOnlyList<StopReason> StoppedEarly, int SequencesRun);

/// <summary>
/// <see cref="RawLanguageModelLoop"/> over <see cref="Rows"/> LM rows (as many as the engine's batch of
/// <see cref="Batch"/> sequences): prefill of <see cref="PrefillPositions"/>, then the same number of timed steps.
/// Every step yields one token per sequence, so time per token is time per step over the batch.
/// </summary>
internal sealed record RawLoopMeasurement(int Batch, int Rows, int PrefillPositions, Summary PrefillMilliseconds, Summary MillisecondsPerStep, Summary EarlyMillisecondsPerStep, Summary LateMillisecondsPerStep, Summary MillisecondsPerToken);

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
