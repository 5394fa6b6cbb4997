using Onnx;
using static Onnx.TensorProto.Types;

namespace Sawt.Inference.Synthetic;

/// <summary>
/// Writes <c>embed_tokens.onnx</c> with the v1 contract (model-contract.md 2.2): positions up to and
/// including the first 0 ([STOP]) are text, later ones speech, id 6563 is exaggeration * w_emotion.
/// Text and speech vectors are unit-RMS with the flag/count dimensions of <see cref="SyntheticLayout"/>.
/// <see cref="WriteTurbo"/> writes the Turbo contract (model-contract.md 4) with the same vector rule.
/// </summary>
internal static class SyntheticEmbedTokensGraph
{
    public static void Write(string path, SyntheticBundleOptions o)
    {
        var g = new OnnxGraphBuilder("embed_tokens");
        var op = new OnnxGraphBuilderOps(g);
        var h = o.HiddenSize;
        g.Input("input_ids", DataType.Int64, "batch_size", "sequence_length");
        g.Input("position_ids", DataType.Int64, "batch_size", "sequence_length");
        g.Input("exaggeration", DataType.Float, "batch_size");
        g.Output("inputs_embeds", DataType.Float, "batch_size", "sequence_length", h);

        var textTable = g.Floats("text_emb.weight", Table(o, "text_emb", SyntheticLayout.TextVocabSize, h), SyntheticLayout.TextVocabSize, h);
        var textPosTable = g.Floats("text_pos_emb.weight", Table(o, "text_pos_emb", ChatterboxConstants.TextPositionTable, h, 0.3), ChatterboxConstants.TextPositionTable, h);
        var speechTable = g.Floats("speech_emb.weight", Table(o, "speech_emb", ChatterboxConstants.SpeechLogitsWidth, h), ChatterboxConstants.SpeechLogitsWidth, h);
        var speechPosTable = g.Floats("speech_pos_emb.weight", Table(o, "speech_pos_emb", ChatterboxConstants.SpeechPositionTable, h, 0.3), ChatterboxConstants.SpeechPositionTable, h);
        var emotion = g.Floats("emotion_adv_fc.weight", Table(o, "emotion", 1, h), 1, 1, h);

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
        var tokenVectors = WithHeader(op, mixed, mask3, h);

        var exaggeration = op.Mul(op.Unsqueeze("exaggeration", 1, 2), emotion); // [B, 1, H]
        var isEmotion = op.Unsqueeze(op.Equal(ids, g.LongScalar(ChatterboxConstants.ExaggerationSlot)), 2);
        var result = op.Where(isEmotion, exaggeration, tokenVectors);
        g.Alias(result, "inputs_embeds");
        g.Save(path, o.UseExternalData, "sawt-synthetic");
    }

    /// <summary>
    /// The Turbo <c>embed_tokens</c>: one input, <c>input_ids</c> [B, S]. The last two positions of a call are speech
    /// (the template's two 50256 read as START, 6561), every earlier one GPT-2 text; so a one-token call embeds a
    /// speech token. No positions: the Turbo language model adds its own from <c>position_ids</c>.
    /// </summary>
    public static void WriteTurbo(string path, SyntheticBundleOptions o)
    {
        var g = new OnnxGraphBuilder("embed_tokens");
        var op = new OnnxGraphBuilderOps(g);
        var h = o.HiddenSize;
        g.Input("input_ids", DataType.Int64, "batch_size", "sequence_length");
        g.Output("inputs_embeds", DataType.Float, "batch_size", "sequence_length", h);

        var textTable = g.Floats("text_emb.weight", Table(o, "turbo_text_emb", TurboConstants.TextVocabSize, h), TurboConstants.TextVocabSize, h);
        var speechTable = g.Floats("speech_emb.weight", Table(o, "turbo_speech_emb", TurboConstants.SpeechLogitsWidth, h), TurboConstants.SpeechLogitsWidth, h);

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
        g.Alias(WithHeader(op, mixed, mask3, h), "inputs_embeds");
        g.Save(path, o.UseExternalData, "sawt-synthetic");
    }

    /// <summary>
    /// Header dims: flag (text 1, speech 0) and count (1). The rest is scaled so the whole vector has RMS 1,
    /// which keeps the header exact through the LM's first RMSNorm.
    /// </summary>
    private static string WithHeader(OnnxGraphBuilderOps op, string mixed, string mask3, int h)
    {
        var g = op.Graph;
        var headerMask = new float[h];
        headerMask[SyntheticLayout.TextFlagDim] = 1;
        headerMask[SyntheticLayout.CountDim] = 1;
        var bodyMask = headerMask.Select(v => 1f - v).ToArray();
        var body = op.Mul(mixed, g.Floats("synthetic.body_mask", bodyMask, h));
        var bodyNorm = op.Sqrt(op.Add(op.ReduceSumSquare(body, -1), g.FloatScalar(1e-12f)));
        var headerEnergy = op.Add(g.FloatScalar(1f), mask3); // flag^2 + count^2
        var bodyScale = op.Div(op.Sqrt(op.Sub(g.FloatScalar(h), headerEnergy)), bodyNorm);
        var flagVector = new float[h];
        flagVector[SyntheticLayout.TextFlagDim] = 1;
        var countVector = new float[h];
        countVector[SyntheticLayout.CountDim] = 1;
        var header = op.Add(op.Mul(mask3, g.Floats("synthetic.flag", flagVector, h)), g.Floats("synthetic.count", countVector, h));
        return op.Add(op.Mul(body, bodyScale), header);
    }

    /// <summary>Random rows with the header dimensions zeroed.</summary>
    private static float[] Table(SyntheticBundleOptions o, string name, int rows, int width, double std = 1.0)
    {
        var data = SyntheticRandom.For(o.Seed, name).Gaussian(rows * width, std);
        for (var r = 0; r < rows; r++)
        {
            data[(r * width) + SyntheticLayout.TextFlagDim] = 0;
            data[(r * width) + SyntheticLayout.CountDim] = 0;
        }

        return data;
    }
}
