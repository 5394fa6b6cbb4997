namespace Sawt.Inference.Streaming;

/// <summary>
/// How an utterance is cut into decoder calls (model-contract.md 7.3). Each call decodes the voice prompt,
/// <see cref="ContextTokens"/> already-spoken tokens and the new ones; the last
/// <see cref="HoldbackTokens"/> of a non-final call are re-decoded next time, and seams are cross-faded.
/// </summary>
public sealed record StreamingOptions
{
    /// <summary>New tokens per chunk, in order; the last size repeats. Small first for latency, larger later for efficiency.</summary>
    public IReadOnlyList<int> ChunkSchedule { get; init; } = [10, 25, 50];

    /// <summary>Already-emitted tokens re-decoded before the new ones, so the decoder sees left context.</summary>
    public int ContextTokens { get; init; } = 12;

    /// <summary>Tokens at the end of a non-final call that are not emitted (they lack right context).</summary>
    public int HoldbackTokens { get; init; } = 3;

    /// <summary>Raised-cosine cross-fade at each seam, at most one token (40 ms).</summary>
    public double CrossFadeMilliseconds { get; init; } = 20;

    /// <summary>Silence inserted between sentences of a long text.</summary>
    public double SentencePauseMilliseconds { get; init; }

    internal int CrossFadeSamples => (int)Math.Round(CrossFadeMilliseconds * ChatterboxConstants.SampleRate / 1000.0);

    /// <summary>Samples of silence before every sentence but the first, at the model rate.</summary>
    public int PauseSamples => (int)Math.Round(SentencePauseMilliseconds * ChatterboxConstants.SampleRate / 1000.0);

    /// <summary>Chunk size for the chunk with index <paramref name="chunkIndex"/> (0-based).</summary>
    public int ChunkSize(int chunkIndex) => ChunkSchedule[Math.Min(chunkIndex, ChunkSchedule.Count - 1)];

    public void Validate()
    {
        if (ChunkSchedule is null || ChunkSchedule.Count == 0 || ChunkSchedule.Any(size => size is < 1 or > 500))
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, "Chunk schedule must list one or more chunk sizes between 1 and 500 tokens.");
        }

        if (ContextTokens is < 1 or > 200)
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, "Context tokens must be between 1 and 200 (at least 1 swallows the decoder's built-in fade-in at each call).");
        }

        if (HoldbackTokens is < 1 or > 20)
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, "Hold-back tokens must be between 1 and 20.");
        }

        if (CrossFadeMilliseconds is < 0 or > 40 || double.IsNaN(CrossFadeMilliseconds))
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, "Cross-fade must be between 0 and 40 ms (one token).");
        }

        if (SentencePauseMilliseconds is < 0 or > 5000 || double.IsNaN(SentencePauseMilliseconds))
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, "Sentence pause must be between 0 and 5000 ms.");
        }
    }
}
