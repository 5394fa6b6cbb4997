using System.Diagnostics;
using Sawt.Inference.Synthetic;

namespace Sawt.Bench.Engine;

/// <summary>A synthetic bundle generated into a temp folder for one bench, timed, and deleted on dispose.</summary>
internal sealed class GeneratedBundle : IDisposable
{
    private GeneratedBundle(string directory, double generateSeconds)
    {
        Directory = directory;
        GenerateSeconds = generateSeconds;
    }

    public string Directory { get; }

    public double GenerateSeconds { get; }

    public static GeneratedBundle Create(BenchBundleSize size, TextWriter log)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"sawt-bench-{size.Name}-{Guid.NewGuid():N}");
        log.WriteLine($"[{size.Name}] generating {size.Describe()} into {directory}");
        var clock = Stopwatch.StartNew();
        SyntheticBundleGenerator.Generate(directory, size.Options);
        return new GeneratedBundle(directory, clock.Elapsed.TotalSeconds);
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
