namespace Sawt.Cli;

/// <summary>
/// The synthetic bundle used when no model is given: generated once into <c>$SAWT_HOME/bundles</c>
/// (default <c>~/.cache/sawt/bundles</c>) and reused afterwards.
/// </summary>
internal static class SyntheticBundleCache
{
    public static string EnsureTiny(TextWriter log)
    {
        var root = Environment.GetEnvironmentVariable("SAWT_HOME") is { Length: > 0 } home
            ? Path.Combine(home, "bundles")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "sawt", "bundles");
        return Inference.Synthetic.SyntheticBundleCache.EnsureTiny(root, target => log.WriteLine($"Generating the synthetic tiny bundle into {target} (once)..."));
    }
}
