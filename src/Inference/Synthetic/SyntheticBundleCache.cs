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
    public static string EnsureTiny(string cacheRoot, Action<string>? onGenerate = null)
    {
        var target = Path.Combine(cacheRoot, $"synthetic-tiny-{GeneratorVersion}");
        if (File.Exists(Path.Combine(target, "config.json")))
        {
            return target;
        }

        onGenerate?.Invoke(target);
        var staging = target + ".tmp-" + Guid.NewGuid().ToString("N");
        // With a draft model, so a silo can be tried with speculative decoding on (it is loaded only then).
        SyntheticBundleGenerator.Generate(staging, SyntheticBundleOptions.Tiny with { DraftAgreement = 0.8 });
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
