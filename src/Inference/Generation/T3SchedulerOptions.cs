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

    internal void Validate()
    {
        if (MaxActiveSequences < 1 || MaxQueuedSequences < 0 || MaxPrefillBatch < 1)
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, "Scheduler budgets must be positive (MaxActiveSequences, MaxPrefillBatch >= 1; MaxQueuedSequences >= 0).");
        }
    }
}
