using Onnx;
using static Onnx.TensorProto.Types;

namespace Sawt.Inference.Synthetic;

/// <summary>
/// Writes <c>embed_tokens.onnx</c> with the v1 contract (model-contract.md 2.2): positions up to and
/// including the first 0 ([STOP]) are text, later ones speech, id 6563 is exaggeration * w_emotion.
/// Text and speech vectors are unit-RMS with the flag/count dimensions of <see cref="SyntheticLayout"/>.
/// </summary>
/// <para>
/// The v2 variant (<c>embed_tokens_v2.onnx</c>, model-contract.md section 3) outputs f16, takes <c>exaggeration</c> as
/// [1], zeroes the text span of row 1 (the unconditional row of a batch-2 call) inside the graph, and marks the
/// <see cref="SyntheticAlignmentSteering"/> trigger ids of the text in the steering dimensions of the header.
/// </para>
internal static class SyntheticEmbedTokensGraph
{
    public static void Write(string path, SyntheticBundleOptions o) => Write(path, o, v2: false);

    public static void WriteV2(string path, SyntheticBundleOptions o) => Write(path, o, v2: true);

    private static void Write(string path, SyntheticBundleOptions o, bool v2)
    {
        var g = new OnnxGraphBuilder(v2 ? "embed_tokens_v2" : "embed_tokens");
        var op = new OnnxGraphBuilderOps(g);
        var h = o.HiddenSize;
        var headerDims = v2 ? SyntheticLayout.HeaderDims : SyntheticLayout.CountDim + 1;
        g.Input("input_ids", DataType.Int64, "batch_size", "sequence_length");
        g.Input("position_ids", DataType.Int64, "batch_size", "sequence_length");
        if (v2)
        {
            g.Input("exaggeration", DataType.Float, 1);
        }
        else
        {
            g.Input("exaggeration", DataType.Float, "batch_size");
        }

        g.Output("inputs_embeds", v2 ? DataType.Float16 : DataType.Float, "batch_size", "sequence_length", h);

        var textTable = g.Floats("text_emb.weight", Table(o, "text_emb", SyntheticLayout.TextVocabSize, h, headerDims), SyntheticLayout.TextVocabSize, h);
        var textPosTable = g.Floats("text_pos_emb.weight", Table(o, "text_pos_emb", ChatterboxConstants.TextPositionTable, h, headerDims, 0.3), ChatterboxConstants.TextPositionTable, h);
        var speechTable = g.Floats("speech_emb.weight", Table(o, "speech_emb", ChatterboxConstants.SpeechLogitsWidth, h, headerDims), ChatterboxConstants.SpeechLogitsWidth, h);
        var speechPosTable = g.Floats("speech_pos_emb.weight", Table(o, "speech_pos_emb", ChatterboxConstants.SpeechPositionTable, h, headerDims, 0.3), ChatterboxConstants.SpeechPositionTable, h);
        var emotion = g.Floats("emotion_adv_fc.weight", Table(o, "emotion", 1, h, headerDims), 1, 1, h);

        var ids = "input_ids";
        var isStop = op.ToFloat(op.Equal(ids, g.LongScalar(ChatterboxConstants.TextStop)));
        var stopsBefore = op.CumSum(isStop, 1, exclusive: true);
        var rowHasStop = op.ReduceMax(isStop, 1);
        var textMask = op.Mul(op.ToFloat(op.Equal(stopsBefore, g.FloatScalar(0f))), rowHasStop); // [B, S]

        var textIds = op.Min(ids, g.LongScalar(SyntheticLayout.TextVocabSize - 1));
        var speechIds = op.Min(ids, g.LongScalar(ChatterboxConstants.SpeechLogitsWidth - 1));
        var textPositions = op.Min(op.Max("position_ids", g.LongScalar(0)), g.LongScalar(ChatterboxConstants.TextPositionTable - 1));
        var speechPositions = op.Min(op.Max("position_ids", g.LongScalar(0)), g.LongScalar(ChatterboxConstants.SpeechPositionTable - 1));
        var text = op.Add(op.Gather(textTable, textIds), op.Gather(textPosTable, textPositions));
        var speech = op.Add(op.Gather(speechTable, speechIds), op.Gather(speechPosTable, speechPositions));

        var mask3 = op.Unsqueeze(textMask, 2);
        var mixed = op.Add(op.Mul(mask3, text), op.Mul(op.Sub(g.FloatScalar(1f), mask3), speech));

        // Header dims: flag (text 1, speech 0) and count (1). The rest is scaled so the whole vector has RMS 1,
        // which keeps the header exact through the LM's first RMSNorm.
        var bodyMask = Enumerable.Range(0, h).Select(d => d < headerDims ? 0f : 1f).ToArray();
        var body = op.Mul(mixed, g.Floats("synthetic.body_mask", bodyMask, h));
        var bodyNorm = op.Sqrt(op.Add(op.ReduceSumSquare(body, -1), g.FloatScalar(1e-12f)));
        var headerEnergy = op.Add(g.FloatScalar(1f), mask3); // flag^2 + count^2
        string? steering = null;
        if (v2)
        {
            (steering, var steeringEnergy) = Steering(op, ids, textMask, h);
            headerEnergy = op.Add(headerEnergy, steeringEnergy);
        }

        var bodyScale = op.Div(op.Sqrt(op.Sub(g.FloatScalar(h), headerEnergy)), bodyNorm);
        var flagVector = new float[h];
        flagVector[SyntheticLayout.TextFlagDim] = 1;
        var countVector = new float[h];
        countVector[SyntheticLayout.CountDim] = 1;
        var header = op.Add(op.Mul(mask3, g.Floats("synthetic.flag", flagVector, h)), g.Floats("synthetic.count", countVector, h));
        if (steering is not null)
        {
            header = op.Add(header, steering);
        }

        var tokenVectors = op.Add(op.Mul(body, bodyScale), header);

        var exaggeration = op.Mul(op.Unsqueeze("exaggeration", 1, 2), emotion); // [B or 1, 1, H]
        var isEmotion = op.Unsqueeze(op.Equal(ids, g.LongScalar(ChatterboxConstants.ExaggerationSlot)), 2);
        var result = op.Where(isEmotion, exaggeration, tokenVectors);
        if (v2)
        {
            // Row 1 of a batch-2 call is the unconditional row: its text span (token and position) is zeroed here.
            var rowIndex = op.Range(g.LongScalar(0), op.Squeeze(op.Shape(ids, 0, 1), 0), g.LongScalar(1));
            var isRow1 = op.Unsqueeze(op.ToFloat(op.Equal(rowIndex, g.LongScalar(1))), 1); // [B, 1]
            var notEmotion = op.Sub(g.FloatScalar(1f), op.ToFloat(op.Equal(ids, g.LongScalar(ChatterboxConstants.ExaggerationSlot))));
            var keep = op.Sub(g.FloatScalar(1f), op.Mul(op.Mul(textMask, notEmotion), isRow1)); // [B, S]
            result = op.Cast(op.Mul(result, op.Unsqueeze(keep, 2)), DataType.Float16);
        }

        g.Alias(result, "inputs_embeds");
        g.Save(path, o.UseExternalData, "sawt-synthetic");
    }

    /// <summary>
    /// The Turbo <c>embed_tokens</c>: one input, <c>input_ids</c> [B, S]. The last two positions of a call are speech
    /// (the template's two 50256 read as START, 6561), every earlier one GPT-2 text; so a one-token call embeds a
    /// speech token. No positions: the Turbo language model adds its own from <c>position_ids</c>. Vectors follow the
    /// v1 header rule (flag and count dims, unit RMS).
    /// </summary>
    public static void WriteTurbo(string path, SyntheticBundleOptions o)
    {
        var g = new OnnxGraphBuilder("embed_tokens");
        var op = new OnnxGraphBuilderOps(g);
        var h = o.HiddenSize;
        const int headerDims = SyntheticLayout.CountDim + 1;
        g.Input("input_ids", DataType.Int64, "batch_size", "sequence_length");
        g.Output("inputs_embeds", DataType.Float, "batch_size", "sequence_length", h);

        var textTable = g.Floats("text_emb.weight", Table(o, "turbo_text_emb", TurboConstants.TextVocabSize, h, headerDims), TurboConstants.TextVocabSize, h);
        var speechTable = g.Floats("speech_emb.weight", Table(o, "turbo_speech_emb", TurboConstants.SpeechLogitsWidth, h, headerDims), TurboConstants.SpeechLogitsWidth, h);

        var ids = "input_ids";
        var length = op.Squeeze(op.Shape(ids, 1, 2), 0);
        var index = op.Range(g.LongScalar(0), length, g.LongScalar(1)); // [S]
        var isText = op.Less(index, op.Sub(length, g.LongScalar(2)));
        var textMask = op.Unsqueeze(op.ToFloat(isText), 0); // [1, S]

        var textIds = op.Min(op.Max(ids, g.LongScalar(0)), g.LongScalar(TurboConstants.TextVocabSize - 1));
        var asStart = op.Where(op.Equal(ids, g.LongScalar(TurboConstants.TemplateSpeechId)), g.LongScalar(ChatterboxConstants.StartOfSpeech), ids);
        var speechIds = op.Min(op.Max(asStart, g.LongScalar(0)), g.LongScalar(TurboConstants.SpeechLogitsWidth - 1));
        var text = op.Gather(textTable, textIds);
        var speech = op.Gather(speechTable, speechIds);

        var mask3 = op.Unsqueeze(textMask, 2); // [1, S, 1]
        var mixed = op.Add(op.Mul(mask3, text), op.Mul(op.Sub(g.FloatScalar(1f), mask3), speech));

        // As in Write: header dims flag (text 1, speech 0) and count (1), the rest scaled to RMS 1.
        var bodyMask = Enumerable.Range(0, h).Select(d => d < headerDims ? 0f : 1f).ToArray();
        var body = op.Mul(mixed, g.Floats("synthetic.body_mask", bodyMask, h));
        var bodyNorm = op.Sqrt(op.Add(op.ReduceSumSquare(body, -1), g.FloatScalar(1e-12f)));
        var headerEnergy = op.Add(g.FloatScalar(1f), mask3);
        var bodyScale = op.Div(op.Sqrt(op.Sub(g.FloatScalar(h), headerEnergy)), bodyNorm);
        var flagVector = new float[h];
        flagVector[SyntheticLayout.TextFlagDim] = 1;
        var countVector = new float[h];
        countVector[SyntheticLayout.CountDim] = 1;
        var header = op.Add(op.Mul(mask3, g.Floats("synthetic.flag", flagVector, h)), g.Floats("synthetic.count", countVector, h));
        g.Alias(op.Add(op.Mul(body, bodyScale), header), "inputs_embeds");
        g.Save(path, o.UseExternalData, "sawt-synthetic");
    }

    /// <summary>
    /// [B, S, H] with 1 in steering dimension k where a text id is the trigger of behaviour k, and its energy
    /// [B, S, 1] (the sum of squares the header adds).
    /// </summary>
    private static (string Header, string Energy) Steering(OnnxGraphBuilderOps op, string ids, string textMask, int h)
    {
        var g = op.Graph;
        var triggers = SyntheticAlignmentSteering.Steered;
        var flags = new string[triggers.Length];
        var placement = new float[triggers.Length * h];
        for (var k = 0; k < triggers.Length; k++)
        {
            var id = SyntheticTokenizerFiles.IdOf(SyntheticAlignmentSteering.Trigger(triggers[k]).ToString());
            flags[k] = op.Unsqueeze(op.Mul(op.ToFloat(op.Equal(ids, g.LongScalar(id))), textMask), 2); // [B, S, 1]
            placement[(k * h) + SyntheticLayout.SteerDim + k] = 1f;
        }

        var stacked = op.Concat(2, flags); // [B, S, triggers]
        return (op.MatMul(stacked, g.Floats("synthetic.steer_placement", placement, triggers.Length, h)), op.ReduceSumSquare(stacked, -1));
    }

    /// <summary>Random rows with the header dimensions zeroed.</summary>
    private static float[] Table(SyntheticBundleOptions o, string name, int rows, int width, int headerDims, double std = 1.0)
    {
        var data = SyntheticRandom.For(o.Seed, name).Gaussian(rows * width, std);
        for (var r = 0; r < rows; r++)
        {
            data.AsSpan(r * width, headerDims).Clear();
        }

        return data;
    }
}
