using Sawt.Contracts.Workers;
using Sawt.Inference.Decoding;
using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;

namespace Sawt.Grains.Hosting;

/// <summary>What a silo's GPU workers run (section <c>Sawt:Workers</c>).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Sawt:Workers";

    /// <summary>Chatterbox ONNX bundle folder; empty uses the synthetic tiny bundle (not speech), generated once.</summary>
    public string? BundlePath { get; set; }

    /// <summary>
    /// Devices this silo serves, one T3 and one decoder worker each, each with its own engine: <c>auto</c>, <c>cpu</c>,
    /// <c>cpu:0</c>, <c>cpu:1</c>, <c>cuda:0</c>, <c>cuda:1</c>, ... Empty means <c>auto</c> (cuda:0 if CUDA loads, else
    /// cpu), which must then be the only entry. Several <c>cpu:N</c> share the machine's cores. A device listed twice
    /// (<c>cpu</c> and <c>cpu:0</c>) fails start. The list has no default items because the configuration binder
    /// appends to lists: a default <c>auto</c> would stay beside a configured <c>cpu</c>.
    /// </summary>
    public List<string> Devices { get; set; } = [];

    /// <summary>The parsed device list (see <see cref="WorkerDevice.ParseList"/>); throws on an invalid list.</summary>
    internal IReadOnlyList<WorkerDevice> ParsedDevices => WorkerDevice.ParseList(Devices);

    /// <summary>
    /// ONNX Runtime intra-op threads per session; 0 lets ONNX Runtime decide, except that several CPU devices split
    /// the cores between them (<see cref="WorkerDevice.IntraOpThreads"/>).
    /// </summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Continuous-batching budgets per T3 worker.</summary>
    public int MaxActiveSequences { get; set; } = 32;

    public int MaxQueuedSequences { get; set; } = 64;

    /// <summary>
    /// Decoder graph calls run at once per decoder worker (each a batch of up to <see cref="MaxDecodeBatchSize"/>
    /// chunks); more chunks wait, up to <see cref="MaxQueuedDecodes"/>.
    /// </summary>
    public int MaxConcurrentDecodes { get; set; } = 4;

    /// <summary>
    /// Decoder variants each decoder worker loads, the first being the default (the <c>balanced</c> quality tier):
    /// <c>n4</c>, <c>n6</c>, <c>n10</c> (v2 re-export; n6 recommended), <c>fp32</c> (the plain
    /// <c>conditional_decoder.onnx</c>: v1, Turbo), <c>fp16</c>, <c>quantized</c>, <c>q4</c>, <c>q4f16</c> (Turbo's
    /// suffixed files). Every one listed must be in the bundle (start fails naming the file). Empty loads the first
    /// present of n6, n10, n4, fp32, fp16, ... A request's <c>quality</c> (<c>fast</c>, <c>balanced</c>, <c>best</c>)
    /// picks among those loaded.
    /// </summary>
    public List<string> DecoderVariants { get; set; } = [];

    /// <summary>Most chunks (of equal shape, from any sessions) decoded in one graph call; 1 turns batching off.</summary>
    public int MaxDecodeBatchSize { get; set; } = 8;

    /// <summary>Longest a chunk waits for others of its shape before it is decoded anyway.</summary>
    public TimeSpan MaxDecodeBatchWait { get; set; } = TimeSpan.FromMilliseconds(2);

    public int MaxQueuedDecodes { get; set; } = 64;

    /// <summary>
    /// Lossless speculative decoding on every T3 worker of this silo: the draft model (see <see cref="DraftModel"/>)
    /// proposes tokens, the target verifies them in one call. Off by default; it pays where the draft is much cheaper
    /// than the target (a <c>_q4</c> draft for an fp32 or fp16 target).
    /// </summary>
    public bool SpeculativeDecoding { get; set; }

    /// <summary>The draft model: null for the bundle's <c>language_model_draft.onnx</c>, a variant name (<c>q4</c>, ...) or a path.</summary>
    public string? DraftModel { get; set; }

    /// <summary>Most tokens drafted per speculative round (the round adapts below it to the observed acceptance).</summary>
    public int MaxDraftTokens { get; set; } = 4;

    /// <summary>
    /// The deployment's target time to first audio in milliseconds, or null for none. With a target, a T3 worker admits
    /// a sequence only while its measured step and prefill times, its queue and its running sequences forecast the
    /// first chunk of tokens within the target less <see cref="FirstDecodeAllowanceMilliseconds"/>; otherwise the
    /// client gets <c>busy</c> at once with a retry hint and can go elsewhere instead of waiting.
    /// </summary>
    public double? FirstAudioTargetMilliseconds { get; set; }

    /// <summary>
    /// The least part of <see cref="FirstAudioTargetMilliseconds"/> left for the first decoder call and delivery. The
    /// session's decoder worker reports what a first chunk costs there now (<see cref="WorkerLoadReport.FirstChunkMilliseconds"/>);
    /// when that is more, it is left instead, so the T3 worker's share shrinks as the decoder's queue grows. Without a
    /// recent measurement (an idle decoder) this allowance alone is left.
    /// </summary>
    public double FirstDecodeAllowanceMilliseconds { get; set; }

    /// <summary>
    /// A T3 worker idle (nothing running or queued) for this long admits a newcomer whatever its first-chunk forecast,
    /// so measurements inflated by a burst that has gone cannot refuse forever (see <see cref="T3SchedulerOptions.IdleAdmitAfter"/>).
    /// </summary>
    public TimeSpan IdleAdmitAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>KV cache one T3 worker may hold, in MiB (its device memory budget); 0 for no bound.</summary>
    public long MaxKvCacheMegabytes { get; set; }

    /// <summary>Folder for generated synthetic bundles (default: the system temp folder).</summary>
    public string? SyntheticBundleCache { get; set; }

    /// <summary>Least time a T3 worker is left for a first chunk of tokens (a microsecond): with a decoder that takes the whole target, anything measured misses it.</summary>
    internal const double MinimumFirstChunkTargetMilliseconds = 0.001;

    /// <summary>
    /// A T3 worker's target for a sequence's first chunk of tokens, in milliseconds (null without a first-audio target):
    /// the first-audio target less what the session's decoder worker reported a first chunk costs there
    /// (<paramref name="decoderFirstChunkMilliseconds"/>, null when it measured none lately), at least
    /// <see cref="FirstDecodeAllowanceMilliseconds"/>.
    /// </summary>
    internal double? FirstChunkTargetMilliseconds(double? decoderFirstChunkMilliseconds)
    {
        if (FirstAudioTargetMilliseconds is not { } target)
        {
            return null;
        }

        var decoder = Math.Max(FirstDecodeAllowanceMilliseconds, decoderFirstChunkMilliseconds ?? 0);
        return Math.Max(MinimumFirstChunkTargetMilliseconds, target - decoder);
    }

    internal SpeculativeOptions SpeculativeOptions => new() { Enabled = SpeculativeDecoding, MaxDraftTokens = MaxDraftTokens, MinDraftTokens = Math.Min(1, MaxDraftTokens) };

    internal DecoderBatchingOptions DecoderBatching => new()
    {
        MaxBatchSize = MaxDecodeBatchSize,
        MaxBatchWait = MaxDecodeBatchWait,
        MaxConcurrentBatches = MaxConcurrentDecodes,
        // The worker grain refuses beyond its own queue budget first; this bound only backs it up.
        MaxQueuedRows = MaxQueuedDecodes + (MaxConcurrentDecodes * MaxDecodeBatchSize),
    };

    internal T3SchedulerOptions SchedulerOptions => new()
    {
        MaxActiveSequences = MaxActiveSequences,
        MaxQueuedSequences = MaxQueuedSequences,
        FirstChunkTargetMilliseconds = FirstChunkTargetMilliseconds(decoderFirstChunkMilliseconds: null),
        IdleAdmitAfter = IdleAdmitAfter,
        MaxKvCacheBytes = MaxKvCacheMegabytes > 0 ? MaxKvCacheMegabytes * 1024 * 1024 : null,
    };
}
