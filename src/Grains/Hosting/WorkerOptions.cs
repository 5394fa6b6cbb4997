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

    /// <summary>Decode calls run at once per decoder worker; more wait, up to <see cref="MaxQueuedDecodes"/>.</summary>
    public int MaxConcurrentDecodes { get; set; } = 4;

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

    /// <summary>The part of <see cref="FirstAudioTargetMilliseconds"/> left for the first decoder call and delivery.</summary>
    public double FirstDecodeAllowanceMilliseconds { get; set; }

    /// <summary>KV cache one T3 worker may hold, in MiB (its device memory budget); 0 for no bound.</summary>
    public long MaxKvCacheMegabytes { get; set; }

    /// <summary>Folder for generated synthetic bundles (default: the system temp folder).</summary>
    public string? SyntheticBundleCache { get; set; }

    internal SpeculativeOptions SpeculativeOptions => new() { Enabled = SpeculativeDecoding, MaxDraftTokens = MaxDraftTokens, MinDraftTokens = Math.Min(1, MaxDraftTokens) };

    internal T3SchedulerOptions SchedulerOptions => new()
    {
        MaxActiveSequences = MaxActiveSequences,
        MaxQueuedSequences = MaxQueuedSequences,
        FirstChunkTargetMilliseconds = FirstAudioTargetMilliseconds - FirstDecodeAllowanceMilliseconds,
        MaxKvCacheBytes = MaxKvCacheMegabytes > 0 ? MaxKvCacheMegabytes * 1024 * 1024 : null,
    };
}
