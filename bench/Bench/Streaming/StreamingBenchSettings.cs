using System.Globalization;
using Sawt.Bench.Engine;

namespace Sawt.Bench.Streaming;

/// <summary>What the streaming bench measures and how often.</summary>
internal sealed record StreamingBenchSettings
{
    /// <summary>The engine's default schedule; the seam metric and the incremental path use it.</summary>
    public static IReadOnlyList<int> DefaultSchedule { get; } = [10, 25, 50];

    /// <summary>Synthetic sizes first, then <c>--model</c> directories, each measured in turn.</summary>
    public required IReadOnlyList<BenchBundleChoice> Bundles { get; init; }

    /// <summary>Chunk schedules to compare (new tokens per chunk; the last size repeats).</summary>
    public required IReadOnlyList<IReadOnlyList<int>> Schedules { get; init; }

    /// <summary>Timed runs per measurement.</summary>
    public required int Repeat { get; init; }

    public required int IntraOpThreads { get; init; }

    /// <summary>Characters per piece on the incremental (LLM-like) path.</summary>
    public int PieceChars { get; init; } = 5;

    /// <summary>Delay between pieces on the incremental path.</summary>
    public TimeSpan PieceInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Parses <c>10-25-50</c> into [10, 25, 50].</summary>
    public static IReadOnlyList<int> ParseSchedule(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] is < 1 or > 500)
            {
                throw new ArgumentException($"--schedules: '{text}' is not a dash-separated list of chunk sizes between 1 and 500 (e.g. 10-25-50).");
            }
        }

        return sizes;
    }

    public static string Describe(IReadOnlyList<int> schedule) => string.Join('-', schedule);
}
