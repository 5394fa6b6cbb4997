using Sawt.Contracts.Sessions;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;

namespace Sawt.Grains;

/// <summary>Turns wire settings into engine options (null fields keep the engine defaults); validates them.</summary>
internal static class SamplingMapper
{
    public static SamplingOptions ToOptions(SamplingSettings s)
    {
        var d = new SamplingOptions();
        var options = d with
        {
            Temperature = s.Temperature ?? d.Temperature,
            MinP = s.MinP ?? d.MinP,
            TopP = s.TopP ?? d.TopP,
            RepetitionPenalty = s.RepetitionPenalty ?? d.RepetitionPenalty,
            CfgWeight = s.CfgWeight ?? d.CfgWeight,
            Exaggeration = s.Exaggeration ?? d.Exaggeration,
            Seed = s.Seed,
            MaxNewTokens = s.MaxNewTokens ?? d.MaxNewTokens,
        };
        options.Validate();
        return options;
    }

    public static StreamingOptions ToOptions(ChunkingSettings c)
    {
        var d = new StreamingOptions();
        var options = d with
        {
            ChunkSchedule = c.Schedule ?? d.ChunkSchedule,
            ContextTokens = c.ContextTokens ?? d.ContextTokens,
            HoldbackTokens = c.HoldbackTokens ?? d.HoldbackTokens,
            CrossFadeMilliseconds = c.CrossFadeMilliseconds ?? d.CrossFadeMilliseconds,
            SentencePauseMilliseconds = c.SentencePauseMilliseconds ?? d.SentencePauseMilliseconds,
        };
        options.Validate();
        return options;
    }
}
