namespace Sawt.Inference.Generation;

/// <summary>A snapshot of a scheduler's load, for choosing workers and for metrics.</summary>
public sealed record SchedulerLoad(int ActiveSequences, int QueuedSequences, int MaxActiveSequences, double RecentStepMilliseconds, long KvCacheBytes, long TokensGenerated);
