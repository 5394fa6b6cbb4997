namespace Sawt.Inference.Sampling;

/// <summary>
/// The outcome of verifying one drafted token: <paramref name="Accepted"/> keeps the draft and
/// <paramref name="Token"/> is the drafted id; otherwise <paramref name="Token"/> is the replacement drawn from the
/// residual, the last token of the round (later drafts are discarded and both caches trimmed to it).
/// </summary>
public readonly record struct SpeculativeVerdict(bool Accepted, int Token);
