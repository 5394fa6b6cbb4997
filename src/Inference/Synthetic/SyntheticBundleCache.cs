namespace Sawt.Inference.Synthetic;

/// <summary>
/// A synthetic tiny bundle generated once into a cache folder and reused, for hosts started without a real
/// bundle. Safe against concurrent first starts (generate into a staging folder, then rename).
/// </summary>
public static class SyntheticBundleCache
{
    /// <summary>Bumped whenever the generator's output changes, so stale caches are not reused.</summary>
    public const string GeneratorVersion = "v4";

    /// <summary>The bundle folder under <paramref name="cacheRoot"/>, generated if absent.</summary>
    /// <param name="cacheRoot">Folder that holds cached bundles.</param>
    /// <param name="onGenerate">Called with the target path before a (slow) generation.</param>
    public static string EnsureTiny(string cacheRoot, Action<string>? onGenerate = null) =>
        // With a draft model, so a silo can be tried with speculative decoding on (it is loaded only then).
        Ensure(cacheRoot, "synthetic-tiny", SyntheticBundleOptions.Tiny with { DraftAgreement = 0.8 }, onGenerate);

    /// <summary>The tiny bundle in the v2 re-export's layout (<see cref="SyntheticLayoutKind.MultilingualV2"/>), generated if absent.</summary>
    /// <param name="cacheRoot">Folder that holds cached bundles.</param>
    /// <param name="onGenerate">Called with the target path before a (slow) generation.</param>
    public static string EnsureTinyV2(string cacheRoot, Action<string>? onGenerate = null) =>
        Ensure(cacheRoot, "synthetic-tiny-mtl-v2", SyntheticBundleOptions.Tiny with { Layout = SyntheticLayoutKind.MultilingualV2 }, onGenerate);

    private static string Ensure(string cacheRoot, string name, SyntheticBundleOptions options, Action<string>? onGenerate)
    {
        var target = Path.Combine(cacheRoot, $"{name}-{GeneratorVersion}");
        if (File.Exists(Path.Combine(target, "config.json")))
        {
            return target;
        }

        onGenerate?.Invoke(target);
        var staging = target + ".tmp-" + Guid.NewGuid().ToString("N");
        SyntheticBundleGenerator.Generate(staging, options);
        try
        {
            Directory.CreateDirectory(cacheRoot);
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
