using static Onnx.TensorProto.Types;

namespace Sawt.Inference.Synthetic;

/// <summary>
/// Writes <c>speech_encoder.onnx</c> with the v1 contract (model-contract.md 2.1). Every output is a
/// deterministic function of the 24 kHz reference: one prompt token per 960 samples of the first 10 s,
/// two 80-bin frames per token, a 192-d embedding of the whole clip, and 33 unit-RMS conditioning
/// vectors (slot 0 constant, as the real export's zero speaker vector is). With the Turbo layout the conditioning
/// is 376 vectors (1 speaker slot + 375 prompt slots from the first 15 s, model-contract.md 4).
/// </summary>
internal static class SyntheticSpeechEncoderGraph
{
    private const int TokenClasses = 64;
    private const int PromptSamples = 10 * ChatterboxConstants.SampleRate;

    public static void Write(string path, SyntheticBundleOptions o)
    {
        var g = new OnnxGraphBuilder("speech_encoder");
        var op = new OnnxGraphBuilderOps(g);
        var h = o.HiddenSize;
        const int frame = ChatterboxConstants.SamplesPerToken;
        const int spk = ChatterboxConstants.SpeakerEmbeddingSize;
        const int mel = ChatterboxConstants.MelBins;
        g.Input("audio_values", DataType.Float, "batch_size", "num_samples");
        var turbo = o.Layout == SyntheticLayoutKind.Turbo;
        var slotCount = turbo ? TurboConstants.ConditioningSlots : ChatterboxConstants.ConditioningSlots;
        var promptSeconds = turbo ? 15 : 6;
        g.Output("audio_features", DataType.Float, "batch_size", slotCount, h);
        g.Output("audio_tokens", DataType.Int64, "batch_size", "audio_sequence_length");
        g.Output("speaker_embeddings", DataType.Float, "batch_size", spk);
        g.Output("speaker_features", DataType.Float, "batch_size", "feature_sequence_length", mel);

        var random = SyntheticRandom.For(o.Seed, "speech_encoder");
        var prompt = WholeFrames(op, op.Slice("audio_values", 0, PromptSamples, 1));
        var allFrames = op.Reshape(WholeFrames(op, "audio_values"), 0, -1, frame);
        var promptFrames = op.Reshape(prompt, 0, -1, frame); // [B, Np, 960]

        var tokenProjection = g.Floats("tokenizer.projection", random.Gaussian(frame * TokenClasses, 1), frame, TokenClasses);
        var codebook = Enumerable.Range(0, TokenClasses).Select(_ => (long)(random.NextUInt64() % ChatterboxConstants.SpeechCodebookSize)).ToArray();
        var classes = op.ArgMax(op.MatMul(promptFrames, tokenProjection), 2, keepDims: false);
        g.Alias(op.Gather(g.Longs("tokenizer.codebook", codebook, TokenClasses), classes), "audio_tokens");

        var halfFrames = op.Reshape(prompt, 0, -1, frame / 2);
        var melProjection = g.Floats("mel.projection", random.Gaussian(frame / 2 * mel, 0.05), frame / 2, mel);
        g.Alias(op.Log(op.Add(op.Abs(op.MatMul(halfFrames, melProjection)), g.FloatScalar(1e-5f))), "speaker_features");

        var xvectorProjection = g.Floats("xvector.projection", random.Gaussian(frame * spk, 1), frame, spk);
        var xvector = op.ReduceMean(op.Abs(op.MatMul(allFrames, xvectorProjection)), 1, keepDims: false);
        g.Alias(op.Div(xvector, op.Sqrt(op.Add(op.ReduceSumSquare(xvector, -1), g.FloatScalar(1e-12f)))), "speaker_embeddings");

        // Conditioning: a constant speaker slot, then 32 (Turbo 375) slots from the mean frame of the first 6 s (Turbo 15 s).
        var t3Frames = op.Reshape(WholeFrames(op, op.Slice("audio_values", 0, promptSeconds * ChatterboxConstants.SampleRate, 1)), 0, -1, frame);
        var meanFrame = op.ReduceMean(t3Frames, 1); // [B, 1, 960]
        var conditioningProjection = g.Floats("perceiver.projection", random.Gaussian(frame * h, 4.0 / Math.Sqrt(frame)), frame, h);
        var queries = g.Floats("perceiver.queries", random.Gaussian((slotCount - 1) * h, 1), 1, slotCount - 1, h);
        var slots = op.Tanh(op.Add(op.MatMul(meanFrame, conditioningProjection), queries)); // [B, slots - 1, H]
        var batch = op.Shape("audio_values", 0, 1);
        var speakerSlot = op.Expand(g.Floats("speaker_slot", random.Gaussian(h, 1), 1, 1, h), op.Concat(0, batch, g.LongConst(1), g.LongConst(h)));
        var conditioning = op.Concat(1, speakerSlot, slots);
        var headerMask = Enumerable.Repeat(1f, h).ToArray();
        headerMask[SyntheticLayout.TextFlagDim] = 0;
        headerMask[SyntheticLayout.CountDim] = 0;
        g.Alias(op.UnitRms(op.Mul(conditioning, g.Floats("synthetic.body_mask", headerMask, h)), h), "audio_features");
        g.Save(path, o.UseExternalData, "sawt-synthetic");
    }

    /// <summary>The first whole multiple of 960 samples of <paramref name="audio"/> ([B, n] to [B, 960 k]).</summary>
    private static string WholeFrames(OnnxGraphBuilderOps op, string audio)
    {
        var g = op.Graph;
        var frame = g.LongConst(ChatterboxConstants.SamplesPerToken);
        var length = op.Mul(op.Div(op.Shape(audio, 1, 2), frame), frame);
        return op.Slice(audio, g.LongConst(0), length, g.LongConst(1));
    }
}
