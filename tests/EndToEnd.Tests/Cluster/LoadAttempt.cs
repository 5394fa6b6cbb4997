namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// One context of a <see cref="ClusterLoad"/>: one attempt at an utterance (a retry after a retryable error is the
/// next attempt, on a new context id). Written by its socket's reader under the socket's lock; read by tests once the
/// load has ended, or through <see cref="ClusterLoad.Attempts"/> snapshots.
/// </summary>
internal sealed class LoadAttempt(string utterance, int number, string contextId, bool incremental, int phase, int utterancePhase)
{
    /// <summary>The utterance's id; its attempts share it.</summary>
    public string Utterance { get; } = utterance;

    /// <summary>1 for the first attempt at the utterance.</summary>
    public int Number { get; } = number;

    public string ContextId { get; } = contextId;

    /// <summary>An incremental context (its text and <c>end</c> sent at once after <c>synthesize</c>), else one-shot.</summary>
    public bool Incremental { get; } = incremental;

    /// <summary>The test's phase when this attempt's <c>synthesize</c> was queued (so it was sent no earlier).</summary>
    public int Phase { get; } = phase;

    /// <summary>The test's phase when the utterance's first attempt was queued.</summary>
    public int UtterancePhase { get; } = utterancePhase;

    public Guid? SessionId { get; set; }

    /// <summary>The audio sequence number due next (the count of audio received in order).</summary>
    public int NextSequence { get; set; }

    /// <summary>Terminal messages received (exactly one is right).</summary>
    public List<ServerMessage> Terminals { get; } = [];

    /// <summary>What broke the protocol's order for this context, as it arrived.</summary>
    public List<string> Violations { get; } = [];

    public ServerMessage? Terminal => Terminals.Count > 0 ? Terminals[0] : null;

    public bool IsDone => Terminal?.Type == "done";

    /// <summary>A retryable error with a retry hint: a terminal the load may retry and the fault tests accept.</summary>
    public bool IsRetryableError => Terminal is { Type: "error" } end
        && end.Json["retryable"]?.GetValue<bool>() == true
        && end.Json["retry_after_ms"]?.GetValue<long>() > 0;

    /// <summary>The terminal's type, and for an error its code.</summary>
    public string Outcome => Terminal is not { } end ? "(none)" : end.Type == "error" ? $"error {(string?)end.Json["code"]}" : end.Type;

    public override string ToString() => $"{ContextId} (phase {Phase}, session {SessionId}): {Outcome} after {NextSequence} chunks";
}
