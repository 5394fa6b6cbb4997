using static Onnx.TensorProto.Types;

namespace Sawt.Inference.Synthetic;

/// <summary>
/// Writes <c>language_model.onnx</c> with the v1 contract (model-contract.md 2.3): a small Llama
/// (RMSNorm, RoPE theta 500000 with llama3 scaling at positions counted from the attention mask, causal attention over
/// a concat-grown KV cache, SiLU MLP) with an 8194-wide speech head. See <see cref="SyntheticLayout"/>
/// for the STOP head. A draft variant perturbs every weight but the STOP head by (1 - agreement).
/// </summary>
internal static class SyntheticLanguageModelGraph
{
    private const ulong DraftSalt = 0xD4AF7UL;

    /// <param name="path">Where to write the graph.</param>
    /// <param name="o">Sizes and layout (Turbo: <c>position_ids</c>, learned absolute positions, 6563-wide logits).</param>
    /// <param name="draftAgreement">Writes a draft perturbed by (1 - agreement).</param>
    /// <param name="halfCache">f16 caches at the interface, f32 arithmetic and logits (the real fp16 variants).</param>
    public static void Write(string path, SyntheticBundleOptions o, double? draftAgreement = null, bool halfCache = false)
    {
        var g = new OnnxGraphBuilder(draftAgreement is null ? "language_model" : "language_model_draft");
        var op = new OnnxGraphBuilderOps(g);
        var h = o.HiddenSize;
        var heads = o.Heads;
        var hd = o.HeadDim;
        var turbo = o.Layout == SyntheticLayoutKind.Turbo;
        var vocab = turbo ? TurboConstants.SpeechLogitsWidth : ChatterboxConstants.SpeechLogitsWidth;
        var cacheType = halfCache ? DataType.Float16 : DataType.Float;

        g.Input("inputs_embeds", DataType.Float, "batch_size", "sequence_length", h);
        g.Input("attention_mask", DataType.Int64, "batch_size", "total_sequence_length");
        if (turbo)
        {
            g.Input("position_ids", DataType.Int64, "batch_size", "sequence_length");
        }

        for (var l = 0; l < o.Layers; l++)
        {
            g.Input($"past_key_values.{l}.key", cacheType, "batch_size", heads, "past_sequence_length", hd);
            g.Input($"past_key_values.{l}.value", cacheType, "batch_size", heads, "past_sequence_length", hd);
        }

        g.Output("logits", DataType.Float, "batch_size", "sequence_length", vocab);
        for (var l = 0; l < o.Layers; l++)
        {
            g.Output($"present.{l}.key", cacheType, "batch_size", heads, "total_sequence_length", hd);
            g.Output($"present.{l}.value", cacheType, "batch_size", heads, "total_sequence_length", hd);
        }

        string Past(string name) => halfCache ? op.ToFloat(name) : name;
        var body = Body(op, o, new WeightSource(o, draftAgreement, steering: false), "inputs_embeds", l => Past($"past_key_values.{l}.key"), l => Past($"past_key_values.{l}.value"), o.StopTextShare, turbo);
        for (var l = 0; l < o.Layers; l++)
        {
            // The f16 round trip of the fp16 variant happens in the present, so a recompute rounds exactly as the cache does.
            g.Alias(halfCache ? op.Cast(body.PresentKeys[l], DataType.Float16) : body.PresentKeys[l], $"present.{l}.key");
            g.Alias(halfCache ? op.Cast(body.PresentValues[l], DataType.Float16) : body.PresentValues[l], $"present.{l}.value");
        }

        g.Alias(body.Logits, "logits");
        g.Save(path, o.UseExternalData, "sawt-synthetic");
    }

    /// <summary>
    /// The Llama body shared by the v1 and v2 writers, on f32 embeddings and pasts: returns the logits [B, S, 8194],
    /// the f32 presents, and with <paramref name="stopTextShare"/> the v1 STOP head folded into the logits.
    /// </summary>
    internal static LanguageModelBody Body(OnnxGraphBuilderOps op, SyntheticBundleOptions o, WeightSource weights, string embeds, Func<int, string> pastKey, Func<int, string> pastValue, float? stopTextShare, bool turbo = false)
    {
        var g = op.Graph;
        var h = o.HiddenSize;
        var heads = o.Heads;
        var hd = o.HeadDim;
        var vocab = turbo ? TurboConstants.SpeechLogitsWidth : ChatterboxConstants.SpeechLogitsWidth;

        // RoPE positions are each row's own token count (cumsum of the mask), so left-padded rows of a
        // ragged batch rotate exactly as they would alone. Without padding this is past .. past+S-1.
        var one = g.LongScalar(1);
        var past = op.Squeeze(op.Shape(pastKey(0), 2, 3), 0);
        var total = op.Add(past, op.Squeeze(op.Shape(embeds, 1, 2), 0));
        var queryIndex = op.Range(past, total, one);
        var keyIndex = op.Range(g.LongScalar(0), total, one);
        var rowPositions = op.Sub(op.CumSum("attention_mask", 1, exclusive: false), g.LongScalar(1));
        var positions = turbo
            ? op.Min(op.Max("position_ids", g.LongScalar(0)), g.LongScalar(SyntheticLayout.MaxRopePositions - 1)) // the caller's, as GPT-2 reads them
            : op.Max(op.Slice(rowPositions, op.Unsqueeze(past, 0), op.Unsqueeze(total, 0), g.LongConst(1)), g.LongScalar(0)); // [B, S]
        var allowed = op.LessOrEqual(op.Unsqueeze(keyIndex, 0), op.Unsqueeze(queryIndex, 1)); // [S, T]
        var causalBias = op.Mul(op.Sub(op.ToFloat(allowed), g.FloatScalar(1f)), g.FloatScalar(1e9f));
        var paddingBias = op.Unsqueeze(op.Mul(op.Sub(op.ToFloat("attention_mask"), g.FloatScalar(1f)), g.FloatScalar(1e9f)), 1, 2);
        var bias = op.Add(causalBias, paddingBias); // [B, 1, S, T]

        var (cosTable, sinTable) = RopeTables(hd);
        var cos = op.Unsqueeze(op.Gather(g.Floats("rope.cos", cosTable, SyntheticLayout.MaxRopePositions, hd), positions), 1); // [B, 1, S, hd]
        var sin = op.Unsqueeze(op.Gather(g.Floats("rope.sin", sinTable, SyntheticLayout.MaxRopePositions, hd), positions), 1);
        var rotateHalf = g.Floats("rope.rotate_half", RotateHalfMatrix(hd), hd, hd);
        var scale = g.FloatScalar(1f / MathF.Sqrt(hd));

        var x = embeds;
        if (turbo)
        {
            // Learned absolute positions (GPT-2's wpe), header dims zeroed so the STOP head's reading stays exact.
            var table = weights.PositionTable(TurboConstants.PositionTable, h);
            x = op.Add(x, op.Gather(g.Floats("wpe.weight", table, TurboConstants.PositionTable, h), op.Min(positions, g.LongScalar(TurboConstants.PositionTable - 1))));
        }

        string? stopSignal = null;
        var presentKeys = new string[o.Layers];
        var presentValues = new string[o.Layers];
        for (var l = 0; l < o.Layers; l++)
        {
            var p = $"layers.{l}.";
            var normed = op.RmsNorm(x, g.Floats(p + "input_layernorm.weight", weights.NormWeight(p + "input_layernorm"), h));
            var q = SplitHeads(op, op.MatMul(normed, g.Floats(p + "q_proj", weights.Projection(p + "q_proj", h, h, l == 0 ? Reserve.ZeroHead0 : Reserve.None), h, h)), heads, hd);
            var k = SplitHeads(op, op.MatMul(normed, g.Floats(p + "k_proj", weights.Projection(p + "k_proj", h, h, l == 0 ? Reserve.ZeroHead0 : Reserve.None), h, h)), heads, hd);
            var v = SplitHeads(op, op.MatMul(normed, g.Floats(p + "v_proj", weights.Projection(p + "v_proj", h, h, l == 0 ? Reserve.ReadHeaderHead0 : Reserve.None), h, h)), heads, hd);
            q = op.Add(op.Mul(q, cos), op.Mul(op.MatMul(q, rotateHalf), sin));
            k = op.Add(op.Mul(k, cos), op.Mul(op.MatMul(k, rotateHalf), sin));

            var presentKey = op.Concat(2, pastKey(l), k);
            var presentValue = op.Concat(2, pastValue(l), v);
            presentKeys[l] = presentKey;
            presentValues[l] = presentValue;

            var scores = op.Add(op.Mul(op.MatMul(q, op.Transpose(presentKey, 0, 1, 3, 2)), scale), bias);
            var attended = op.MatMul(op.Softmax(scores), presentValue); // [B, heads, S, hd]
            if (l == 0 && stopTextShare is { } share)
            {
                stopSignal = StopSignal(op, attended, share);
            }

            var merged = op.Reshape(op.Transpose(attended, 0, 2, 1, 3), 0, 0, h);
            x = op.Add(x, op.MatMul(merged, g.Floats(p + "o_proj", weights.Projection(p + "o_proj", h, h, l == 0 ? Reserve.ZeroRowsHead0 : Reserve.None), h, h)));

            var normed2 = op.RmsNorm(x, g.Floats(p + "post_attention_layernorm.weight", weights.NormWeight(p + "post_attention_layernorm"), h));
            var gate = op.MatMul(normed2, g.Floats(p + "gate_proj", weights.Projection(p + "gate_proj", h, o.IntermediateSize), h, o.IntermediateSize));
            var up = op.MatMul(normed2, g.Floats(p + "up_proj", weights.Projection(p + "up_proj", h, o.IntermediateSize), h, o.IntermediateSize));
            var activated = op.Mul(op.Mul(gate, op.Sigmoid(gate)), up);
            x = op.Add(x, op.MatMul(activated, g.Floats(p + "down_proj", weights.Projection(p + "down_proj", o.IntermediateSize, h, scale: 0.5), o.IntermediateSize, h)));
        }

        var final = op.RmsNorm(x, g.Floats("norm.weight", weights.NormWeight("norm"), h));
        var logits = op.MatMul(final, g.Floats("speech_head.weight", weights.SpeechHead(h, vocab), h, vocab));
        if (stopSignal is not null)
        {
            var stopOneHot = new float[vocab];
            stopOneHot[ChatterboxConstants.StopOfSpeech] = 1f;
            logits = op.Add(logits, op.Mul(stopSignal, g.Floats("synthetic.stop_one_hot", stopOneHot, vocab)));
        }

        return new LanguageModelBody(logits, presentKeys, presentValues, past, total);
    }

    /// <summary>STOP logit from head 0 of layer 0: saturating in (ratio * count share - text share).</summary>
    private static string StopSignal(OnnxGraphBuilderOps op, string attended, float ratio)
    {
        var g = op.Graph;
        var head0 = op.Squeeze(op.Slice(attended, 0, 1, 1), 1); // [B, S, hd]
        var textShare = op.Slice(head0, 0, 1, 2);
        var countShare = op.Slice(head0, 1, 2, 2);
        var margin = op.Sub(op.Mul(countShare, g.FloatScalar(ratio)), textShare);
        return op.Mul(op.Tanh(op.Mul(margin, g.FloatScalar(SyntheticLayout.StopSharpness))), g.FloatScalar(SyntheticLayout.StopLogitMagnitude));
    }

    private static string SplitHeads(OnnxGraphBuilderOps op, string x, int heads, int hd) =>
        op.Transpose(op.Reshape(x, 0, 0, heads, hd), 0, 2, 1, 3);

    internal static (float[] Cos, float[] Sin) RopeTables(int hd)
    {
        // llama3 scaling: factor 8, low 1, high 4, original context 8192.
        const double factor = 8, lowFactor = 1, highFactor = 4, original = 8192;
        var half = hd / 2;
        var inv = new double[half];
        for (var i = 0; i < half; i++)
        {
            var f = Math.Pow(SyntheticLayout.RopeTheta, -2.0 * i / hd);
            var wavelength = 2 * Math.PI / f;
            if (wavelength > original / lowFactor)
            {
                f /= factor;
            }
            else if (wavelength >= original / highFactor)
            {
                var smooth = ((original / wavelength) - lowFactor) / (highFactor - lowFactor);
                f = ((1 - smooth) * f / factor) + (smooth * f);
            }

            inv[i] = f;
        }

        var cos = new float[SyntheticLayout.MaxRopePositions * hd];
        var sin = new float[cos.Length];
        for (var p = 0; p < SyntheticLayout.MaxRopePositions; p++)
        {
            for (var j = 0; j < hd; j++)
            {
                var angle = p * inv[j % half];
                cos[(p * hd) + j] = (float)Math.Cos(angle);
                sin[(p * hd) + j] = (float)Math.Sin(angle);
            }
        }

        return (cos, sin);
    }

    /// <summary>R such that x @ R = rotate_half(x) = concat(-x[half:], x[:half]).</summary>
    private static float[] RotateHalfMatrix(int hd)
    {
        var half = hd / 2;
        var r = new float[hd * hd];
        for (var j = 0; j < half; j++)
        {
            r[((j + half) * hd) + j] = -1f;
            r[(j * hd) + j + half] = 1f;
        }

        return r;
    }

    /// <summary>Value names of a written body: logits [B, S, V], f32 presents per layer, past and total lengths (int64 scalars).</summary>
    internal sealed record LanguageModelBody(string Logits, string[] PresentKeys, string[] PresentValues, string Past, string Total);

    internal enum Reserve
    {
        None,
        ZeroHead0,
        ReadHeaderHead0,
        ZeroRowsHead0,
    }

    /// <param name="o">Sizes and seed.</param>
    /// <param name="draftAgreement">Perturbs every weight by (1 - agreement) for a draft; null for the target.</param>
    /// <param name="steering">
    /// v2: layer 0's head 0 also reads the steering dimensions into its value columns 2.., and every norm passes them.
    /// </param>
    internal sealed class WeightSource(SyntheticBundleOptions o, double? draftAgreement, bool steering)
    {
        private readonly int _headerDims = steering ? SyntheticLayout.HeaderDims : SyntheticLayout.CountDim + 1;

        public float[] NormWeight(string name)
        {
            var w = Perturbed(name, o.HiddenSize, 0.05);
            for (var i = 0; i < w.Length; i++)
            {
                w[i] += 1f;
            }

            // Layer 0's input norm must pass the header dims through unchanged.
            w.AsSpan(0, _headerDims).Fill(1f);
            return w;
        }

        public float[] Projection(string name, int rows, int cols, Reserve reserve = Reserve.None, double scale = 1.0)
        {
            var w = Perturbed(name, rows * cols, scale / Math.Sqrt(rows));
            var hd = o.HeadDim;
            switch (reserve)
            {
                case Reserve.ZeroHead0:
                    ForHead0Columns(rows, cols, hd, (r, c) => w[(r * cols) + c] = 0f);
                    break;
                case Reserve.ReadHeaderHead0:
                    ForHead0Columns(rows, cols, hd, (r, c) => w[(r * cols) + c] = 0f);
                    for (var d = 0; d < _headerDims; d++)
                    {
                        w[(d * cols) + d] = 1f; // value column d of head 0 = header dim d (0 flag, 1 count, 2.. steering)
                    }

                    break;
                case Reserve.ZeroRowsHead0:
                    Array.Clear(w, 0, hd * cols);
                    break;
            }

            return w;
        }

        /// <summary>Small learned position vectors with the header dims zeroed.</summary>
        public float[] PositionTable(int rows, int h)
        {
            var w = Perturbed("wpe", rows * h, 0.3);
            for (var r = 0; r < rows; r++)
            {
                w[(r * h) + SyntheticLayout.TextFlagDim] = 0f;
                w[(r * h) + SyntheticLayout.CountDim] = 0f;
            }

            return w;
        }

        public float[] SpeechHead(int h, int vocab)
        {
            var w = Perturbed("speech_head", h * vocab, 3.0 / Math.Sqrt(h));
            for (var r = 0; r < h; r++)
            {
                for (var c = ChatterboxConstants.SpeechCodebookSize; c < vocab; c++)
                {
                    // Special and unused ids exist but are rarely likely, as in a trained head; STOP comes from the stop head.
                    w[(r * vocab) + c] = c == ChatterboxConstants.StopOfSpeech ? 0f : w[(r * vocab) + c] / 3f;
                }
            }

            return w;
        }

        private float[] Perturbed(string name, int count, double std)
        {
            var w = SyntheticRandom.For(o.Seed, name).Gaussian(count, std);
            if (draftAgreement is { } agreement && agreement < 1)
            {
                var noise = SyntheticRandom.For(o.Seed ^ DraftSalt, name).Gaussian(count, std * (1 - agreement));
                for (var i = 0; i < count; i++)
                {
                    w[i] += noise[i];
                }
            }

            return w;
        }

        private static void ForHead0Columns(int rows, int cols, int hd, Action<int, int> action)
        {
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < hd && c < cols; c++)
                {
                    action(r, c);
                }
            }
        }
    }
}
