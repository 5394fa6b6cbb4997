namespace Sawt.Inference.Generation;

/// <summary>Budgets of one continuous-batching loop (one per GPU worker).</summary>
public sealed record T3SchedulerOptions
{
    public const string SectionName = "Sawt:Scheduler";

    /// <summary>Sequences generated together in one decode step (CFG sequences count once).</summary>
    public int MaxActiveSequences { get; init; } = 32;

    /// <summary>Sequences waiting for a slot; beyond this, submissions are refused with <c>busy</c>.</summary>
    public int MaxQueuedSequences { get; init; } = 64;

    /// <summary>Newcomers prefilled in one batch (prefill is the expensive call).</summary>
    public int MaxPrefillBatch { get; init; } = 8;

    /// <summary>
    /// Target time from submission to the first chunk of tokens, in milliseconds, or null for none. With a target, a
    /// sequence is admitted only while this worker's measured step and prefill times, its queue and its running
    /// sequences' progress forecast the first chunk within it; otherwise it is refused <c>busy</c> at once, with a retry
    /// hint, so the caller can go elsewhere instead of waiting. Set it to the deployment's first-audio target less the
    /// first decoder call (see docs/reliability.md).
    /// </summary>
    public double? FirstChunkTargetMilliseconds { get; init; }

    /// <summary>
    /// With nothing running or queued for this long, a newcomer is admitted whatever the first-chunk forecast says: the
    /// measurements behind it are that old, and only running something refreshes them. Zero: an idle worker always admits.
    /// </summary>
    public TimeSpan IdleAdmitAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Tokens in the first chunk the session decodes (the first entry of the streaming chunk schedule).</summary>
    public int FirstChunkTokens { get; init; } = 10;

    /// <summary>Bytes of KV cache this worker may hold (device memory), or null for no bound; at the bound, newcomers get <c>busy</c>.</summary>
    public long? MaxKvCacheBytes { get; init; }

    internal void Validate()
    {
        if (MaxActiveSequences < 1 || MaxQueuedSequences < 0 || MaxPrefillBatch < 1)
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, "Scheduler budgets must be positive (MaxActiveSequences, MaxPrefillBatch >= 1; MaxQueuedSequences >= 0).");
        }

        if (FirstChunkTargetMilliseconds is { } target && (target <= 0 || double.IsNaN(target)))
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, "FirstChunkTargetMilliseconds must be positive when set.");
        }

        if (IdleAdmitAfter < TimeSpan.Zero)
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, "IdleAdmitAfter must not be negative.");
        }

        if (FirstChunkTokens is < 1 or > 500 || MaxKvCacheBytes is <= 0)
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, "FirstChunkTokens must be 1..500 and MaxKvCacheBytes positive when set.");
        }
    }
}
