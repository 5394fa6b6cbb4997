namespace Sawt.Inference.Generation;

/// <summary>
/// A snapshot of a scheduler's load, for choosing workers and for metrics. The token counts are totals since the
/// scheduler started: speech tokens published, and with speculative decoding the draft tokens proposed and accepted.
/// </summary>
public sealed record SchedulerLoad(
    int ActiveSequences,
    int QueuedSequences,
    int MaxActiveSequences,
    double RecentStepMilliseconds,
    long KvCacheBytes,
    long TokensGenerated,
    long DraftTokens = 0,
    long AcceptedDraftTokens = 0);
