using System.Globalization;
using Sawt.Inference.Decoding;
using static Onnx.TensorProto.Types;

namespace Sawt.Inference.Synthetic;

/// <summary>
/// Writes <c>conditional_decoder.onnx</c> with the v1 contract (model-contract.md 2.4): the prompt
/// (Tm / 2 tokens) is excluded, and each generated token becomes 960 samples of the tone
/// <see cref="SyntheticLayout.ToneFrequency"/>, whole cycles per token so the signal is phase-continuous.
/// Loudness follows the speaker embedding and a +-2-token neighbourhood (context dependence). Like the real graph, every call fades in its first 960
/// samples (480 zeros, then a 480-sample raised cosine). Unlike it, there is no random noise.
/// <para>
/// Step count: like the real S3Gen, the graph integrates a flow latent over all mel frames (prompt and generated,
/// <c>[B, Tm + 2 Ng, channels]</c>) with the schedule's Euler steps, unrolled, each step calling a small estimator MLP
/// (twice under guidance: conditional and unconditional rows), so its cost grows with the steps. The latent starts at
/// ones and the estimator returns its input exactly (weights <c>[I | R]</c> then <c>[I ; 0]</c> around a ReLU on a
/// positive latent), so after the steps every latent value is the <b>flow gain</b>
/// <c>G = prod_k (1 + g (t_(k+1) - t_k))</c> over the schedule's time grid, with <c>g = 1.7 - 0.7 * 0.5 = 1.35</c> under
/// guidance (the unconditional row carries half the velocity) and <c>g = 1</c> for MeanFlow. The waveform is scaled by
/// <c>G / G(cfm, 10 steps)</c>: 1 for the v1 decoder, less for fewer steps, so a test reads the step count from the
/// loudness. The kind and step count are also written as model metadata (<see cref="KindMetadataKey"/>,
/// <see cref="StepsMetadataKey"/>).
/// </para>
/// </summary>
internal static class SyntheticDecoderGraph
{
    /// <summary>Tokens whose loudness each token's amplitude averages (itself and two each side).</summary>
    public const int ContextKernel = 5;

    /// <summary>Model metadata key holding <c>cfm</c> or <c>meanflow</c>.</summary>
    public const string KindMetadataKey = "sawt.decoder.kind";

    /// <summary>Model metadata key holding the step count.</summary>
    public const string StepsMetadataKey = "sawt.decoder.steps";

    /// <summary>Velocity rate of the synthetic estimator under a schedule (see the class summary).</summary>
    private static double Rate(DecoderSchedule schedule) =>
        schedule.Kind == DecoderKind.FlowMatching ? 1 + DecoderSchedule.GuidanceRate - (DecoderSchedule.GuidanceRate * UnconditionalShare) : 1;

    /// <summary>Share of the velocity the unconditional estimator row keeps (its conditioning is zeroed).</summary>
    private const double UnconditionalShare = 0.5;

    public static void Write(string path, SyntheticBundleOptions o, DecoderSchedule? schedule = null)
    {
        schedule ??= DecoderSchedule.V1;
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
        amplitude = op.Mul(amplitude, FlowGain(g, op, generated, o, schedule)); // [B, 1]
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
        g.Metadata[KindMetadataKey] = schedule.Kind == DecoderKind.FlowMatching ? "cfm" : "meanflow";
        g.Metadata[StepsMetadataKey] = schedule.Steps.ToString(CultureInfo.InvariantCulture);
        g.Save(path, o.UseExternalData, "sawt-synthetic");
    }

    /// <summary>
    /// Runs the schedule's Euler steps on a latent of ones over every mel frame and returns the per-row flow gain
    /// relative to the v1 schedule, <c>[B, 1]</c>.
    /// </summary>
    private static string FlowGain(OnnxGraphBuilder g, OnnxGraphBuilderOps op, string generated, SyntheticBundleOptions o, DecoderSchedule schedule)
    {
        var channels = o.DecoderChannels;
        var hidden = o.DecoderHiddenSize;
        // [I | R] then [I ; 0]: the estimator is a real MLP in cost, and exactly the identity on a positive latent.
        var random = SyntheticRandom.For(o.Seed, "decoder.estimator");
        var noise = random.Gaussian(channels * hidden, 1.0 / Math.Sqrt(channels));
        var up = new float[channels * hidden];
        var down = new float[hidden * channels];
        for (var c = 0; c < channels; c++)
        {
            for (var h = 0; h < hidden; h++)
            {
                up[(c * hidden) + h] = h == c ? 1f : h < channels ? 0f : noise[(c * hidden) + h];
            }

            down[(c * channels) + c] = 1f;
        }

        var upWeights = g.Floats("estimator.up", up, channels, hidden);
        var downWeights = g.Floats("estimator.down", down, hidden, channels);
        string Estimator(string latent) => op.MatMul(g.Node("Relu", [op.MatMul(latent, upWeights)]), downWeights);

        var frames = op.Add(op.Shape("speaker_features", 1, 2), op.Mul(op.Shape(generated, 1, 2), g.LongConst(2)));
        var latentShape = op.Concat(0, op.Shape("speaker_features", 0, 1), frames, g.LongConst(channels));
        var x = op.Expand(g.Floats("flow.start", [1f], 1, 1, 1), latentShape); // [B, Tm + 2 Ng, channels]
        var grid = schedule.TimeGrid();
        for (var k = 0; k < schedule.Steps; k++)
        {
            string velocity;
            if (schedule.Kind == DecoderKind.FlowMatching)
            {
                // Conditional and unconditional rows in one estimator call, as the real graph batches them.
                var pair = Estimator(op.Concat(0, op.Unsqueeze(x, 0), op.Unsqueeze(x, 0))); // [2, B, F, channels]
                var conditional = op.Squeeze(op.Slice(pair, 0, 1, 0), 0);
                var unconditional = op.Mul(op.Squeeze(op.Slice(pair, 1, 2, 0), 0), g.FloatScalar((float)UnconditionalShare));
                velocity = op.Sub(
                    op.Mul(conditional, g.FloatScalar((float)(1 + DecoderSchedule.GuidanceRate))),
                    op.Mul(unconditional, g.FloatScalar((float)DecoderSchedule.GuidanceRate)));
            }
            else
            {
                velocity = Estimator(x);
            }

            x = op.Add(x, op.Mul(velocity, g.FloatScalar((float)(grid[k + 1] - grid[k]))));
        }

        var gain = op.ReduceMean(op.ReduceMean(x, 2, keepDims: false), 1, keepDims: true); // [B, 1]
        return op.Div(gain, g.FloatScalar((float)Gain(DecoderSchedule.V1)));
    }

    /// <summary>The closed form of the flow gain for <paramref name="schedule"/> (see the class summary).</summary>
    internal static double Gain(DecoderSchedule schedule)
    {
        var grid = schedule.TimeGrid();
        var rate = Rate(schedule);
        var gain = 1.0;
        for (var k = 0; k < schedule.Steps; k++)
        {
            gain *= 1 + (rate * (grid[k + 1] - grid[k]));
        }

        return gain;
    }
}
