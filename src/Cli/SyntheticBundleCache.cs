using Sawt.Inference.Synthetic;

namespace Sawt.Cli;

/// <summary>
/// The synthetic bundle used when no model is given: generated once into a cache folder
/// (<c>$SAWT_HOME/bundles</c>, default <c>~/.cache/sawt/bundles</c>) and reused afterwards.
/// </summary>
internal static class SyntheticBundleCache
{
    /// <summary>Bumped whenever the generator's output changes, so stale caches are not reused.</summary>
    private const string GeneratorVersion = "v2";

    public static string EnsureTiny(TextWriter log)
    {
        var root = Environment.GetEnvironmentVariable("SAWT_HOME") is { Length: > 0 } home
            ? Path.Combine(home, "bundles")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "sawt", "bundles");
        var target = Path.Combine(root, $"synthetic-tiny-{GeneratorVersion}");
        if (File.Exists(Path.Combine(target, "config.json")))
        {
            return target;
        }

        log.WriteLine($"Generating the synthetic tiny bundle into {target} (once)...");
        var staging = target + ".tmp-" + Guid.NewGuid().ToString("N");
        SyntheticBundleGenerator.Generate(staging, SyntheticBundleOptions.Tiny);
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (File.Exists(Path.Combine(target, "config.json")))
        {
            // Another process finished first; its bundle is identical.
            Directory.Delete(staging, recursive: true);
        }

        return target;
    }
}
