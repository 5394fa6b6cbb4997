using Sawt.Bench.Engine;

namespace Sawt.Bench.Speculative;

/// <summary>What the speculative bench measures: per draft agreement and batch size, plain against speculative decoding.</summary>
internal sealed record SpeculativeBenchSettings
{
    public required BenchBundleSize Size { get; init; }

    public required double[] Agreements { get; init; }

    /// <summary>Draft layers (the target's first ones); null: as many as the target.</summary>
    public int? DraftLayers { get; init; }

    public required int[] BatchSizes { get; init; }

    /// <summary>Tokens each sequence generates in a timed run (fewer when it stops first).</summary>
    public int Tokens { get; init; } = 64;

    public int Repeat { get; init; } = 2;

    public int MaxDraftTokens { get; init; } = 4;

    /// <summary>0 is greedy (speculative tokens then equal plain ones, which the bench checks).</summary>
    public float Temperature { get; init; } = 0.8f;

    public int IntraOpThreads { get; init; } = Environment.ProcessorCount;
}
