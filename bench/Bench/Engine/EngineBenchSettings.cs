using Sawt.Inference.Synthetic;

namespace Sawt.Bench.Engine;

/// <summary>What the engine bench measures and how often.</summary>
internal sealed record EngineBenchSettings
{
    /// <summary>Synthetic sizes first, then <c>--model</c> directories, each measured in turn.</summary>
    public required IReadOnlyList<BenchBundleChoice> Bundles { get; init; }

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

    /// <summary>
    /// The bundles to measure: <paramref name="sizes"/> (comma-separated) generated, then each <paramref name="models"/>
    /// directory. Without <c>--sizes</c> the default synthetic sizes are measured only when no model is given.
    /// </summary>
    public static IReadOnlyList<BenchBundleChoice> ChooseBundles(string? sizes, IReadOnlyList<string> models, string defaultSizes)
    {
        BenchBundleChoice[] bundles =
        [
            .. (sizes ?? (models.Count == 0 ? defaultSizes : string.Empty))
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => BenchBundleChoice.Synthetic(ParseSize(n))),
            .. models.Select(BenchBundleChoice.Model),
        ];
        if (bundles.Length == 0)
        {
            throw new ArgumentException("--sizes and --model name no bundle to measure.");
        }

        // Rows are labelled by name alone, so two bundles with one name would be indistinguishable in the tables.
        var repeated = bundles.GroupBy(b => b.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return repeated is null
            ? bundles
            : throw new ArgumentException($"Two bundles would both be labelled '{repeated.Key}'; measure them in separate runs or rename a directory.");
    }
}
