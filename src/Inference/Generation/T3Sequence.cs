using Sawt.Inference.Sampling;
using Sawt.Inference.Text;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Generation;

/// <summary>
/// The state of one utterance's speech-token generation: KV cache, history, sampler, stop state.
/// A value the <see cref="T3BatchExecutor"/> advances; it is not thread-safe and belongs to one executor.
/// </summary>
public sealed class T3Sequence
{
    private readonly List<long> _history = [ChatterboxConstants.StartOfSpeech];
    private readonly List<long> _tokens = [];
    private readonly bool _allowsGuidance;
    private float[]? _scratch;

    /// <param name="request">What to generate.</param>
    /// <param name="sampler">This sequence's sampler (its order is the layout's).</param>
    /// <param name="guard">This sequence's repetition guard.</param>
    /// <param name="maxSteps">Hard cap on generated tokens.</param>
    /// <param name="allowsGuidance">False where the layout has no CFG (Turbo): one row whatever the cfg weight.</param>
    /// <param name="closingTokens">Speech tokens the layout appends once after generation ends (Turbo's silence).</param>
    internal T3Sequence(GenerationRequest request, TokenSampler sampler, RepetitionGuard guard, int maxSteps, bool allowsGuidance = true, long[]? closingTokens = null)
    {
        Text = request.Text;
        Voice = request.Voice;
        Sampling = request.Sampling;
        Sampler = sampler;
        Guard = guard;
        MaxSteps = maxSteps;
        _allowsGuidance = allowsGuidance;
        ClosingTokens = closingTokens ?? [];
    }

    public TokenizedText Text { get; }

    public VoiceConditionals Voice { get; }

    public SamplingOptions Sampling { get; }

    /// <summary>
    /// LM batch rows: 2 with classifier-free guidance (row 0 conditional, row 1 unconditional), else 1; always 2 on the
    /// v2 graph, whose batch is fixed.
    /// </summary>
    public int Rows => UsesGuidance || GuidanceInGraph ? 2 : 1;

    public bool UsesGuidance => _allowsGuidance && Sampling.CfgWeight > 0;

    /// <summary>
    /// Speech tokens that follow the generated ones once generation has ended (not when cancelled): Turbo's three
    /// silence tokens (model-contract.md 6.4), so the decoder gives the last real token right-hand context. Empty for
    /// the multilingual layout.
    /// </summary>
    public IReadOnlyList<long> ClosingTokens { get; }

    /// <summary>The v2 graph combines CFG itself (from <c>cfg_weight</c>) and returns one row of logits.</summary>
    internal bool GuidanceInGraph { get; init; }

    /// <summary>Whether the host combines the conditional and unconditional rows' logits.</summary>
    internal bool HostGuidance => UsesGuidance && !GuidanceInGraph;

    /// <summary>Rows of logits each LM call returns for this sequence.</summary>
    internal int LogitRows => GuidanceInGraph ? 1 : Rows;

    /// <summary>The alignment guard (v2 graphs); null on graphs without attention outputs.</summary>
    internal AlignmentStreamAnalyzer? Alignment { get; init; }

    /// <summary>The alignment guard's decision for the logits of the latest LM call, until the sampler uses it.</summary>
    internal AlignmentDecision? PendingAlignment { get; set; }

    /// <summary>What the alignment guard saw that did not stop generation (false start, discontinuity).</summary>
    public AlignmentWarnings AlignmentWarnings { get; private set; }

    /// <summary>Hard cap on generated tokens: min(MaxNewTokens, max(150, 25 x text ids)).</summary>
    public int MaxSteps { get; }

    /// <summary>Tokens sampled so far (not counting STOP), in order; may include ids at or above 6561.</summary>
    public IReadOnlyList<long> Tokens => _tokens;

    /// <summary>The repetition-penalty history: 6561 followed by <see cref="Tokens"/>.</summary>
    public IReadOnlyList<long> History => _history;

    public bool IsPrefilled { get; internal set; }

    public bool IsFinished => StopReason != StopReason.None;

    public StopReason StopReason { get; internal set; }

    internal TokenSampler Sampler { get; }

    internal RepetitionGuard Guard { get; }

    /// <summary>
    /// Where this sequence's KV caches live: [0] on the target model, [1] on the draft model (speculative decoding);
    /// set by prefill, cleared when released.
    /// </summary>
    internal KvSlot?[] Slots { get; } = new KvSlot?[2];

    /// <summary>Speculative decoding state, when the executor speculates.</summary>
    internal SpeculationState? Speculation { get; set; }

    /// <summary>When set (one list per row), every embedding fed to the LM is kept: tests recompute the whole sequence from it.</summary>
    internal List<float>[]? FedEmbeddings { get; set; }

    internal ReadOnlySpan<long> HistorySpan => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_history);

    /// <summary>Raw last-position logits of each row from the latest LM call (row-major [Rows, width]).</summary>
    internal float[]? LastLogits { get; set; }

    /// <summary>Raw logits of every position of the latest multi-position call (speculative verification), [position, row, width].</summary>
    internal float[]? PositionLogits { get; set; }

    /// <summary>
    /// The speech tokens to decode: <see cref="Tokens"/> after <see cref="SpeechTokenPostProcessor.Finalize"/>, then
    /// <see cref="ClosingTokens"/> once when generation ended (not while running or after a cancel).
    /// </summary>
    public long[] SpeechTokens() => StopReason is StopReason.None or StopReason.Cancelled
        ? SpeechTokenPostProcessor.Finalize(_tokens, emittedStop: false)
        : [.. SpeechTokenPostProcessor.Finalize(_tokens, StopReason == StopReason.EndOfSpeech), .. ClosingTokens];

    /// <summary>A per-sequence logits buffer reused every step.</summary>
    internal float[] Scratch(int width) => _scratch is { } s && s.Length == width ? s : _scratch = new float[width];

    internal void Accept(long token)
    {
        if (token == ChatterboxConstants.StopOfSpeech)
        {
            StopReason = StopReason.EndOfSpeech;
            return;
        }

        _tokens.Add(token);
        _history.Add(token);

        // With the alignment guard, token repetition is its rule (applied to the next step's logits).
        var guardReason = Alignment is null ? Guard.Observe(token) : StopReason.None;
        if (guardReason != StopReason.None)
        {
            StopReason = guardReason;
        }
        else if (_tokens.Count >= MaxSteps)
        {
            StopReason = StopReason.StepCap;
        }
    }

    internal void Cancel() => StopReason = StopReason.Cancelled;

    /// <summary>Records a decision of the alignment guard: its warnings, and the reason when it forced the stop.</summary>
    internal void Observe(AlignmentDecision decision)
    {
        if (!decision.Started)
        {
            AlignmentWarnings |= AlignmentWarnings.FalseStart;
        }

        if (decision.Discontinuity)
        {
            AlignmentWarnings |= AlignmentWarnings.Discontinuity;
        }

        if (decision.ForcesStop)
        {
            StopReason = decision.ForcedStop;
        }
    }
}
