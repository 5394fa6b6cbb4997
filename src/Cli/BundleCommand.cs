using System.CommandLine;
using Sawt.Inference;
using Sawt.Inference.Synthetic;

namespace Sawt.Cli;

/// <summary><c>sawt bundle generate</c>: writes a synthetic bundle (tiny, mid or real-size widths).</summary>
internal static class BundleCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outOption = new Option<string>("--out") { Description = "Folder to write the bundle into.", Required = true };
        var sizeOption = new Option<string>("--size") { Description = "tiny (tests), mid (benchmarks) or real (30 x 1024, ~1.6 GB).", DefaultValueFactory = _ => "tiny" };
        sizeOption.AcceptOnlyFromAmong("tiny", "mid", "real");
        var seedOption = new Option<ulong?>("--seed") { Description = "Weight seed (same seed, same bundle)." };
        var draftOption = new Option<double?>("--draft-agreement") { Description = "Also write a draft LM with this agreement in [0, 1]." };
        var layoutOption = new Option<string>("--layout")
        {
            Description = "v1 (onnx-community multilingual export), v2 (the re-export with CFG and alignment in the graph) or turbo (ResembleAI/chatterbox-turbo-ONNX, with an _fp16 language model too).",
            DefaultValueFactory = _ => "v1",
        };
        layoutOption.AcceptOnlyFromAmong("v1", "v2", "turbo");
        var generate = new Command("generate", "Generate a synthetic bundle with a real export's contract (not speech).")
        {
            outOption, sizeOption, seedOption, draftOption, layoutOption,
        };
        generate.SetAction(parse =>
        {
            var options = parse.GetValue(sizeOption) switch
            {
                "mid" => SyntheticBundleOptions.Mid,
                "real" => SyntheticBundleOptions.RealSize,
                _ => SyntheticBundleOptions.Tiny,
            };
            if (parse.GetValue(seedOption) is { } seed)
            {
                options = options with { Seed = seed };
            }

            options = options with
            {
                DraftAgreement = parse.GetValue(draftOption),
                Layout = parse.GetValue(layoutOption) switch
                {
                    "v2" => SyntheticLayoutKind.MultilingualV2,
                    "turbo" => SyntheticLayoutKind.Turbo,
                    _ => SyntheticLayoutKind.MultilingualV1,
                },
                Fp16LanguageModel = parse.GetValue(layoutOption) == "turbo",
            };

            var target = parse.GetValue(outOption)!;
            try
            {
                SyntheticBundleGenerator.Generate(target, options);
            }
            catch (Exception ex) when (CliErrors.IsExpected(ex))
            {
                return CliErrors.Report(ex, error);
            }

            output.WriteLine($"Wrote a synthetic {options.Layout} bundle ({options.Layers} layers x {options.HiddenSize}) to {target}. It is not speech: each speech token plays as a tone.");
            return 0;
        });
        return new Command("bundle", "Model bundle tools.") { generate };
    }
}
