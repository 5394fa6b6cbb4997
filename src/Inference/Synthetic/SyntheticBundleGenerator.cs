using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sawt.Inference.Synthetic;

/// <summary>
/// Generates a bundle laid out like <c>onnx-community/chatterbox-multilingual-ONNX</c> (or, with
/// <see cref="SyntheticBundleOptions.Layout"/> Turbo, <c>ResembleAI/chatterbox-turbo-ONNX</c>) with random,
/// seeded weights. It is not speech: the decoder plays one tone per speech token.
/// </summary>
public static class SyntheticBundleGenerator
{
    /// <summary>Marker written into config.json so hosts can say plainly that the bundle is synthetic.</summary>
    public const string SyntheticMarker = "sawt-synthetic";

    /// <summary>Writes a complete bundle into <paramref name="directory"/> (created if needed).</summary>
    public static void Generate(string directory, SyntheticBundleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var onnx = Path.Combine(directory, "onnx");
        Directory.CreateDirectory(onnx);
        SyntheticSpeechEncoderGraph.Write(Path.Combine(onnx, "speech_encoder.onnx"), options);
        if (options.Layout == SyntheticLayoutKind.MultilingualV2)
        {
            SyntheticEmbedTokensGraph.WriteV2(Path.Combine(onnx, "embed_tokens_v2.onnx"), options);
            SyntheticLanguageModelV2Graph.Write(Path.Combine(onnx, "language_model_v2.onnx"), options);
            // conditional_decoder_n4/_n6/_n10.onnx with their step counts baked in, unless other decoder files were asked for.
            var decoders = ReferenceEquals(options.DecoderFiles, SyntheticDecoderFile.V1) ? SyntheticDecoderFile.V2 : options.DecoderFiles;
            foreach (var decoder in decoders)
            {
                SyntheticDecoderGraph.Write(Path.Combine(onnx, decoder.FileName), options, decoder.Schedule);
            }

            WriteMetadata(directory, options);
            SyntheticTokenizerFiles.Write(directory);
            WriteDefaultVoice(Path.Combine(directory, "default_voice.wav"), options.Seed);
            return;
        }

        var turbo = options.Layout == SyntheticLayoutKind.Turbo;
        if (turbo)
        {
            SyntheticEmbedTokensGraph.WriteTurbo(Path.Combine(onnx, "embed_tokens.onnx"), options);
        }
        else
        {
            SyntheticEmbedTokensGraph.Write(Path.Combine(onnx, "embed_tokens.onnx"), options);
        }

        SyntheticLanguageModelGraph.Write(Path.Combine(onnx, "language_model.onnx"), options);
        if (options.Fp16LanguageModel)
        {
            SyntheticLanguageModelGraph.Write(Path.Combine(onnx, "language_model_fp16.onnx"), options, halfCache: true);
        }

        if (options.DraftAgreement is { } agreement)
        {
            SyntheticLanguageModelGraph.Write(Path.Combine(onnx, "language_model_draft.onnx"), options with { Layers = options.DraftLayers ?? options.Layers }, agreement);
        }

        foreach (var decoder in options.DecoderFiles)
        {
            SyntheticDecoderGraph.Write(Path.Combine(onnx, decoder.FileName), options, decoder.Schedule);
        }

        WriteMetadata(directory, options);
        if (turbo)
        {
            SyntheticTurboTokenizerFiles.Write(directory);
        }
        else
        {
            SyntheticTokenizerFiles.Write(directory);
        }

        WriteDefaultVoice(Path.Combine(directory, "default_voice.wav"), options.Seed);
    }

    /// <summary>
    /// A deterministic 4 s "voice": a gliding harmonic tone with a slow vibrato and a little noise, so the
    /// encoder sees varied frames. Not speech, like everything in a synthetic bundle.
    /// </summary>
    internal static float[] DefaultVoiceSamples(ulong seed, double seconds = 4.0)
    {
        var random = SyntheticRandom.For(seed, "default_voice");
        var noise = random.Gaussian((int)(seconds * ChatterboxConstants.SampleRate), 0.01);
        var samples = new float[noise.Length];
        var phase = 0.0;
        for (var i = 0; i < samples.Length; i++)
        {
            var t = (double)i / ChatterboxConstants.SampleRate;
            var pitch = 140 + (30 * Math.Sin(2 * Math.PI * 0.7 * t)) + (10 * t);
            phase += 2 * Math.PI * pitch / ChatterboxConstants.SampleRate;
            var voiced = (0.3 * Math.Sin(phase)) + (0.15 * Math.Sin(2 * phase)) + (0.08 * Math.Sin(3 * phase));
            var envelope = 0.6 + (0.4 * Math.Sin(2 * Math.PI * 3 * t));
            samples[i] = (float)((voiced * envelope) + noise[i]);
        }

        return samples;
    }

    private static void WriteDefaultVoice(string path, ulong seed)
    {
        using var file = File.Create(path);
        Audio.WavWriter.Write(file, DefaultVoiceSamples(seed), ChatterboxConstants.SampleRate, Audio.WavSampleFormat.Pcm16);
    }

    private static void WriteMetadata(string directory, SyntheticBundleOptions o)
    {
        var indented = new JsonSerializerOptions { WriteIndented = true };
        var config = new JsonObject
        {
            ["model_type"] = "chatterbox",
            ["sawt_synthetic"] = new JsonObject { ["generator"] = SyntheticMarker, ["seed"] = o.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["text_config"] = new JsonObject
            {
                ["model_type"] = o.Layout == SyntheticLayoutKind.Turbo ? "gpt2" : "llama",
                ["hidden_size"] = o.HiddenSize,
                ["num_hidden_layers"] = o.Layers,
                ["num_attention_heads"] = o.Heads,
                ["num_key_value_heads"] = o.Heads,
                ["head_dim"] = o.HeadDim,
                ["intermediate_size"] = o.IntermediateSize,
                ["rms_norm_eps"] = 1e-5,
                ["rope_theta"] = SyntheticLayout.RopeTheta,
            },
        };
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJsonString(indented));
        var generation = new JsonObject
        {
            ["bos_token_id"] = 1,
            ["eos_token_id"] = new JsonArray(2, 6562),
            ["repetition_penalty"] = 1.2,
        };
        File.WriteAllText(Path.Combine(directory, "generation_config.json"), generation.ToJsonString(indented));
        var preprocessor = new JsonObject
        {
            ["feature_extractor_type"] = "ChatterboxFeatureExtractor",
            ["processor_class"] = "ChatterboxProcessor",
            ["sampling_rate"] = ChatterboxConstants.SampleRate,
        };
        File.WriteAllText(Path.Combine(directory, "preprocessor_config.json"), preprocessor.ToJsonString(indented));
    }
}
