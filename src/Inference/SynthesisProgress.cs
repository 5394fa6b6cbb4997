namespace Sawt.Inference;

/// <summary>Progress of a long synthesis: tokens generated so far against the step cap.</summary>
public sealed record SynthesisProgress(string Phase, int TokensGenerated, int MaxTokens);
