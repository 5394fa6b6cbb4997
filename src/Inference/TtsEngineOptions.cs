using Sawt.Inference.Bundles;
using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;

namespace Sawt.Inference;

/// <summary>Engine configuration (section <c>Sawt:Engine</c> in hosts).</summary>
public sealed record TtsEngineOptions
{
    public const string SectionName = "Sawt:Engine";

    public BundleOptions Bundle { get; init; } = new();

    /// <summary>Continuous-batching budgets of the engine's T3 loop.</summary>
    public T3SchedulerOptions Scheduler { get; init; } = new();

    /// <summary>Lossless speculative decoding with the bundle's draft model (off by default).</summary>
    public SpeculativeOptions Speculative { get; init; } = new();

    /// <summary>How the engine's <see cref="TtsEngine.DecoderBatcher"/> batches decoder calls from many sessions.</summary>
    public Decoding.DecoderBatchingOptions DecoderBatching { get; init; } = new();

    /// <summary>
    /// Cut the audio of the final token (960 samples) as the current multilingual reference does: the last
    /// token before STOP decodes to about 40 ms of noise. Only applied when the model emitted STOP.
    /// </summary>
    public bool TrimFinalToken { get; init; } = true;

    /// <summary>Longest text one <see cref="TtsEngine.StreamAsync"/> call takes (it is spoken sentence by sentence).</summary>
    public int MaxStreamTextChars { get; init; } = 100_000;
}
