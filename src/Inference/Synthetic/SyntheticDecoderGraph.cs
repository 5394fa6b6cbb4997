using static Onnx.TensorProto.Types;

namespace Sawt.Inference.Synthetic;

/// <summary>
/// Writes <c>conditional_decoder.onnx</c> with the v1 contract (model-contract.md 2.4): the prompt
/// (Tm / 2 tokens) is excluded, and each generated token becomes 960 samples of the tone
/// <see cref="SyntheticLayout.ToneFrequency"/>, whole cycles per token so the signal is phase-continuous.
/// Loudness follows the speaker embedding and a +-2-token neighbourhood (context dependence). Like the real graph, every call fades in its first 960
/// samples (480 zeros, then a 480-sample raised cosine). Unlike it, there is no random noise.
/// </summary>
internal static class SyntheticDecoderGraph
{
    /// <summary>Tokens whose loudness each token's amplitude averages (itself and two each side).</summary>
    public const int ContextKernel = 5;

    public static void Write(string path, SyntheticBundleOptions o)
    {
        var g = new OnnxGraphBuilder("conditional_decoder");
        var op = new OnnxGraphBuilderOps(g);
        const int frame = ChatterboxConstants.SamplesPerToken;
        g.Input("speech_tokens", DataType.Int64, "batch_size", "num_speech_tokens");
        g.Input("speaker_embeddings", DataType.Float, "batch_size", ChatterboxConstants.SpeakerEmbeddingSize);
        g.Input("speaker_features", DataType.Float, "batch_size", "feature_sequence_length", ChatterboxConstants.MelBins);
        g.Output("waveform", DataType.Float, "batch_size", "num_samples");

        var promptTokens = op.Div(op.Shape("speaker_features", 1, 2), g.LongConst(2));
        var generated = op.Slice("speech_tokens", promptTokens, g.LongConst(long.MaxValue), g.LongConst(1));
        var tone = op.ToFloat(op.Mod(generated, g.LongScalar(SyntheticLayout.ToneCount)));
        var frequency = op.Add(g.FloatScalar((float)SyntheticLayout.ToneBaseHz), op.Mul(tone, g.FloatScalar((float)SyntheticLayout.ToneSpacingHz)));
        var localTime = Enumerable.Range(0, frame).Select(i => (float)(2 * Math.PI * i / ChatterboxConstants.SampleRate)).ToArray();
        var phase = op.Mul(op.Unsqueeze(frequency, 2), g.Floats("tone.local_time", localTime, 1, 1, frame)); // [B, Ng, 960]

        var random = SyntheticRandom.For(o.Seed, "decoder");
        var loudnessWeights = g.Floats("voice.loudness", random.Gaussian(ChatterboxConstants.SpeakerEmbeddingSize, 3), ChatterboxConstants.SpeakerEmbeddingSize, 1);
        var amplitude = op.Add(g.FloatScalar(0.2f), op.Mul(g.FloatScalar(0.3f), op.Sigmoid(op.MatMul("speaker_embeddings", loudnessWeights)))); // [B, 1]
        // Each token's loudness is smoothed over its neighbours (+-2 tokens, zero beyond the call's ends), so
        // like the real bidirectional decoder a token's audio depends on context: chunked decoding needs
        // left context and a held-back right edge to match a one-call decode.
        var loudness = op.Add(g.FloatScalar(0.5f), op.Mul(op.ToFloat(op.Mod(op.Mul(generated, g.LongScalar(37)), g.LongScalar(16))), g.FloatScalar(0.5f / 15f)));
        var smoothed = op.Squeeze(g.Node("Conv", [op.Unsqueeze(loudness, 1), g.Floats("context.kernel", [0.2f, 0.2f, 0.2f, 0.2f, 0.2f], 1, 1, ContextKernel)],
            OnnxGraphBuilder.Ints("pads", ContextKernel / 2, ContextKernel / 2)), 1); // [B, Ng]
        var tones = op.Mul(op.Sin(phase), op.Unsqueeze(smoothed, 2));
        var wave = op.Mul(op.Reshape(tones, 0, -1), amplitude); // [B, Ng * 960]

        var sampleIndex = op.ToFloat(op.Range(g.LongScalar(0), op.Squeeze(op.Shape(wave, 1, 2), 0), g.LongScalar(1)));
        var ramp = op.Clip(op.Div(op.Sub(sampleIndex, g.FloatScalar(frame / 2)), g.FloatScalar(frame / 2)), 0f, 1f);
        var fade = op.Sub(g.FloatScalar(0.5f), op.Mul(g.FloatScalar(0.5f), op.Cos(op.Mul(ramp, g.FloatScalar(MathF.PI)))));
        g.Alias(op.Mul(wave, fade), "waveform");
        g.Save(path, o.UseExternalData, "sawt-synthetic");
    }
}
