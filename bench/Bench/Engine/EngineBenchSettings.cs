using Sawt.Inference.Synthetic;

namespace Sawt.Bench.Engine;

/// <summary>What the engine bench measures and how often.</summary>
internal sealed record EngineBenchSettings
{
    public required IReadOnlyList<BenchBundleSize> Sizes { get; init; }

    public required IReadOnlyList<int> BatchSizes { get; init; }

    /// <summary>Timed decode steps per run.</summary>
    public required int Steps { get; init; }

    /// <summary>Timed runs per measurement.</summary>
    public required int Repeat { get; init; }

    public required int IntraOpThreads { get; init; }

    public static BenchBundleSize ParseSize(string name) => name.ToLowerInvariant() switch
    {
        "tiny" => new("tiny", SyntheticBundleOptions.Tiny),
        "mid" => new("mid", SyntheticBundleOptions.Mid),
        "real" => new("real", SyntheticBundleOptions.RealSize),
        _ => throw new ArgumentException($"--sizes: '{name}' is not one of tiny, mid, real."),
    };
}
