using Sawt.Inference.Bundles;

namespace Sawt.Bench.Engine;

/// <summary>
/// A bundle the engine or streaming bench runs on: a synthetic size generated for the run, or a bundle directory given
/// with <c>--model</c> (a real export included), loaded in place through the same <c>ModelBundle</c> loader as the CLI.
/// <see cref="Name"/> labels its rows: the size name, or the directory's own name.
/// </summary>
internal sealed record BenchBundleChoice(string Name, BenchBundleSize? Size, string? ModelDirectory)
{
    public static BenchBundleChoice Synthetic(BenchBundleSize size) => new(size.Name, size, null);

    /// <summary>A bundle directory as given on the command line; only its existence is checked here, the loader checks the rest.</summary>
    public static BenchBundleChoice Model(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path.Trim()));
        return Directory.Exists(full)
            ? new BenchBundleChoice(Path.GetFileName(full), null, full)
            : throw new ArgumentException($"--model: '{path}' is not a directory.");
    }

    /// <summary>
    /// The one bundle of a bench that runs a single bundle (cluster, voices): <paramref name="model"/> when given,
    /// else <paramref name="size"/>, else <paramref name="defaultSize"/>. Both at once is an error: only one can run.
    /// </summary>
    public static BenchBundleChoice FromSizeOrModel(string? size, string? model, string defaultSize) => (size, model) switch
    {
        (not null, not null) => throw new ArgumentException("Give --size or --model, not both: this bench runs one bundle."),
        (_, not null) => Model(model),
        _ => Synthetic(EngineBenchSettings.ParseSize(size ?? defaultSize)),
    };

    /// <summary>The size's description, or the name and directory of a given bundle (before it is loaded).</summary>
    public string Label => Size is not null ? $"{Size.Describe()}, synthetic" : $"{Name} (the bundle at {ModelDirectory})";

    /// <summary>What was loaded, for the report: the size, or for a given directory the LM file and the widths its graph declares.</summary>
    public string Describe(ModelBundle bundle)
    {
        var info = bundle.LanguageModelInfo;
        var widths = $"{info.Layers} x {info.HiddenSize}, {info.KvHeads} KV heads, {info.KvElementType} KV cache";
        return Size is not null
            ? $"{Size.Describe()}, synthetic"
            : $"{Name} ({Path.GetFileName(bundle.Files.LanguageModel)}: {widths}{(bundle.IsSynthetic ? ", synthetic" : string.Empty)})";
    }

    /// <summary>Generates the synthetic bundle, or hands out the model directory as it is (no copy; never deleted). Caller disposes.</summary>
    public PreparedBundle Prepare(TextWriter log)
    {
        if (ModelDirectory is not null)
        {
            log.WriteLine($"[{Name}] using the bundle at {ModelDirectory}");
            return new PreparedBundle(ModelDirectory, null, null);
        }

        var generated = GeneratedBundle.Create(Size!, log);
        return new PreparedBundle(generated.Directory, generated.GenerateSeconds, generated);
    }
}
