using System.CommandLine;
using Microsoft.Extensions.Logging;
using Sawt.Inference;
using Sawt.Inference.Audio;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;

namespace Sawt.Cli;

/// <summary><c>sawt synthesize</c>: text to a WAV file, on a real bundle or the synthetic one.</summary>
internal static class SynthesizeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var text = new Option<string>("--text") { Description = "Text to speak.", Required = true };
        var language = new Option<string>("--language", "-l") { Description = "Language code, e.g. ar, en, fr (23 supported).", Required = true };
        var voice = new Option<string?>("--voice") { Description = "Reference WAV to clone (a few seconds; any rate). Default: the bundle's default voice." };
        var outPath = new Option<string>("--out", "-o") { Description = "Output WAV path.", Required = true };
        var model = new Option<string?>("--model") { Description = "Chatterbox ONNX bundle folder. Default: a synthetic bundle (not speech)." };
        var provider = new Option<string>("--provider") { Description = "auto, cpu or cuda:N.", DefaultValueFactory = _ => "auto" };
        var variant = new Option<string?>("--lm-variant") { Description = "fp32, fp16, quantized (Turbo), q4 or q4f16 (default: first present)." };
        var format = new Option<string>("--format") { Description = "pcm16 or float32.", DefaultValueFactory = _ => "pcm16" };
        format.AcceptOnlyFromAmong("pcm16", "float32");
        var seed = new Option<ulong?>("--seed") { Description = "Sampling seed (same seed, same audio on the same bundle)." };
        var temperature = new Option<float?>("--temperature");
        var cfgWeight = new Option<float?>("--cfg-weight");
        var exaggeration = new Option<float?>("--exaggeration");
        var minP = new Option<float?>("--min-p");
        var topP = new Option<float?>("--top-p");
        var penalty = new Option<float?>("--repetition-penalty");
        var maxTokens = new Option<int?>("--max-tokens");
        var command = new Command("synthesize", "Synthesize text into a 24 kHz WAV file.")
        {
            text, language, voice, outPath, model, provider, variant, format, seed, temperature, cfgWeight, exaggeration, minP, topP, penalty, maxTokens,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var defaults = new SamplingOptions();
                var sampling = defaults with
                {
                    Seed = parse.GetValue(seed),
                    Temperature = parse.GetValue(temperature) ?? defaults.Temperature,
                    CfgWeight = parse.GetValue(cfgWeight) ?? defaults.CfgWeight,
                    Exaggeration = parse.GetValue(exaggeration) ?? defaults.Exaggeration,
                    MinP = parse.GetValue(minP) ?? defaults.MinP,
                    TopP = parse.GetValue(topP) ?? defaults.TopP,
                    RepetitionPenalty = parse.GetValue(penalty) ?? defaults.RepetitionPenalty,
                    MaxNewTokens = parse.GetValue(maxTokens) ?? defaults.MaxNewTokens,
                };
                sampling.Validate();
                var bundleOptions = new BundleOptions
                {
                    ExecutionProvider = ExecutionProviderChoice.Parse(parse.GetValue(provider)),
                    LanguageModelVariant = parse.GetValue(variant),
                };

                var bundleDirectory = parse.GetValue(model) ?? SyntheticBundleCache.EnsureTiny(error);
                using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
                using var engine = TtsEngine.Load(bundleDirectory, new TtsEngineOptions { Bundle = bundleOptions }, loggerFactory);
                if (engine.Bundle.IsSynthetic)
                {
                    error.WriteLine("Note: this is a synthetic bundle, not speech. Each speech token plays as a tone. Pass --model with a real Chatterbox ONNX bundle for speech.");
                }

                var voicePath = parse.GetValue(voice);
                var conditionals = voicePath is null
                    ? null
                    : await engine.EncodeVoiceAsync(await File.ReadAllBytesAsync(voicePath, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                var result = await engine.SynthesizeAsync(
                    new SynthesisRequest(parse.GetValue(text)!, parse.GetValue(language)!, conditionals, sampling),
                    new ConsoleProgress(error),
                    cancellationToken).ConfigureAwait(false);

                var wavFormat = parse.GetValue(format) == "float32" ? WavSampleFormat.Float32 : WavSampleFormat.Pcm16;
                var target = parse.GetValue(outPath)!;
                await using (var file = File.Create(target))
                {
                    WavWriter.Write(file, result.Audio, result.SampleRate, wavFormat);
                }

                output.WriteLine(
                    $"Wrote {target}: {result.AudioDuration.TotalSeconds:F2} s at {result.SampleRate} Hz, {result.SpeechTokens.Length} speech tokens, " +
                    $"stop: {StopReasonNames.Of(result.StopReason)}{Warnings(result.AlignmentWarnings)}, first token {result.TimeToFirstToken.TotalMilliseconds:F0} ms, RTF {result.RealTimeFactor:F2}, provider {engine.Bundle.Provider}.");
                return 0;
            }
            catch (Exception ex) when (CliErrors.IsExpected(ex))
            {
                return CliErrors.Report(ex, error);
            }
        });
        return command;
    }

    /// <summary>Reports progress synchronously, in order, to the error stream.</summary>
    private sealed class ConsoleProgress(TextWriter writer) : IProgress<SynthesisProgress>
    {
        public void Report(SynthesisProgress value) =>
            writer.WriteLine($"{value.Phase}: {value.TokensGenerated} tokens (cap {value.MaxTokens})");
    }

    private static string Warnings(AlignmentWarnings warnings) =>
        warnings == AlignmentWarnings.None ? string.Empty : $" (alignment: {string.Join(", ", StopReasonNames.Of(warnings))})";
}
