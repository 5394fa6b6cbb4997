using static Onnx.TensorProto.Types;

namespace Sawt.Inference.Synthetic;

/// <summary>
/// Writes <c>language_model_v2.onnx</c> with the v2 re-export's contract (model-contract.md section 3) around the
/// same small Llama as <see cref="SyntheticLanguageModelGraph"/>: f16 embeddings and caches with a fixed batch of two
/// rows (0 conditional, 1 unconditional), <c>cfg_weight</c> f16 scalar, <c>logits</c> f16 [1, S, 8194] already
/// CFG-combined, and <c>attn_layers</c> f32 [3, 16, S, past+S] for the conditional row.
/// <para>
/// The alignment is a function the graph computes from its own KV cache: layer 0's head 0 stores each position's text
/// flag and steering dimensions as values (<see cref="SyntheticLayout"/>), so the graph knows the text span, the
/// speech frame of each query (speech positions after the text) and the <see cref="SyntheticAlignmentBehaviour"/> the
/// text asks for. Each query row is a sharp softmax over the text keys around a target text index that advances one
/// id per <see cref="FramesPerTextId"/> frames, bent by the behaviour. Three heads (the analyzer's reference heads)
/// carry it with weights 1.5, 0.9 and 0.6, so only their average is the row; every other head is zero. STOP (v1's
/// text-share head is not used) is raised once the target reaches [STOP], except for the behaviours that must be
/// stopped by the analyzer.
/// </para>
/// </summary>
internal static class SyntheticLanguageModelV2Graph
{
    /// <summary>Speech frames per text id of a normal alignment.</summary>
    public const int FramesPerTextId = 3;

    /// <summary>Frames a false start spends on the last text id.</summary>
    public const int FalseStartFrames = 6;

    /// <summary>Text ids a discontinuity skips.</summary>
    public const int DiscontinuityJump = 8;

    /// <summary>The token the speech head prefers under <see cref="SyntheticAlignmentBehaviour.TokenRepetition"/>.</summary>
    public const int RepeatedToken = 100;

    private const int AttentionLayers = 3;
    private const int AttentionHeads = 16;
    private const float Sharpness = 8f;
    private const float RepeatedTokenBias = 40f;

    public static void Write(string path, SyntheticBundleOptions o)
    {
        var g = new OnnxGraphBuilder("language_model_v2");
        var op = new OnnxGraphBuilderOps(g);
        var h = o.HiddenSize;
        var heads = o.Heads;
        var hd = o.HeadDim;
        const int vocab = ChatterboxConstants.SpeechLogitsWidth;

        g.Input("inputs_embeds", DataType.Float16, 2, "sequence_length", h);
        g.Input("attention_mask", DataType.Int64, 2, "total_sequence_length");
        g.Input("cfg_weight", DataType.Float16);
        for (var l = 0; l < o.Layers; l++)
        {
            g.Input($"past_key_values.{l}.key", DataType.Float16, 2, heads, "past_sequence_length", hd);
            g.Input($"past_key_values.{l}.value", DataType.Float16, 2, heads, "past_sequence_length", hd);
        }

        g.Output("logits", DataType.Float16, 1, "sequence_length", vocab);
        g.Output("attn_layers", DataType.Float, AttentionLayers, AttentionHeads, "sequence_length", "total_sequence_length");
        for (var l = 0; l < o.Layers; l++)
        {
            g.Output($"present.{l}.key", DataType.Float16, 2, heads, "total_sequence_length", hd);
            g.Output($"present.{l}.value", DataType.Float16, 2, heads, "total_sequence_length", hd);
        }

        var body = SyntheticLanguageModelGraph.Body(
            op,
            o,
            new SyntheticLanguageModelGraph.WeightSource(o, draftAgreement: null, steering: true),
            op.ToFloat("inputs_embeds"),
            l => op.ToFloat($"past_key_values.{l}.key"),
            l => op.ToFloat($"past_key_values.{l}.value"),
            stopTextShare: null);
        for (var l = 0; l < o.Layers; l++)
        {
            g.Alias(op.Cast(body.PresentKeys[l], DataType.Float16), $"present.{l}.key");
            g.Alias(op.Cast(body.PresentValues[l], DataType.Float16), $"present.{l}.value");
        }

        // CFG inside the graph: cond + w * (cond - uncond) on every position.
        var cond = op.Slice(body.Logits, 0, 1, 0);
        var uncond = op.Slice(body.Logits, 1, 2, 0);
        var combined = op.Add(cond, op.Mul(op.ToFloat("cfg_weight"), op.Sub(cond, uncond))); // [1, S, V]

        var (attention, logitBias) = Alignment(op, body);
        g.Alias(op.Cast(op.Add(combined, logitBias), DataType.Float16), "logits");
        g.Alias(attention, "attn_layers");
        g.Save(path, o.UseExternalData, "sawt-synthetic");
    }

    /// <summary>The alignment heads [3, 16, S, T] and the logit bias [1, S, V] (STOP, repeated token) of row 0.</summary>
    private static (string Attention, string LogitBias) Alignment(OnnxGraphBuilderOps op, SyntheticLanguageModelGraph.LanguageModelBody body)
    {
        var g = op.Graph;
        const int vocab = ChatterboxConstants.SpeechLogitsWidth;
        var header = op.Squeeze(op.Slice(op.Slice(body.PresentValues[0], 0, 1, 0), 0, 1, 1), 0, 1); // [T, hd]: row 0, head 0
        var flag = Above(op, op.Squeeze(op.Slice(header, SyntheticLayout.TextFlagDim, SyntheticLayout.TextFlagDim + 1, 1), 1), 0.5f); // [T]
        var steeringColumns = op.Slice(header, SyntheticLayout.SteerDim, SyntheticLayout.HeaderDims, 1); // [T, 5]
        var steered = Above(op, op.ReduceMax(op.Mul(steeringColumns, op.Unsqueeze(flag, 1)), 0, keepDims: false), 0.5f); // [5]
        string Behaviour(SyntheticAlignmentBehaviour b)
        {
            var k = Array.IndexOf(SyntheticAlignmentSteering.Steered, b);
            return op.Slice(steered, k, k + 1, 0); // [1]
        }

        var falseStart = Behaviour(SyntheticAlignmentBehaviour.FalseStart);
        var longTail = Behaviour(SyntheticAlignmentBehaviour.LongTail);
        var repetition = Behaviour(SyntheticAlignmentBehaviour.AlignmentRepetition);
        var discontinuity = Behaviour(SyntheticAlignmentBehaviour.Discontinuity);
        var tokenRepetition = Behaviour(SyntheticAlignmentBehaviour.TokenRepetition);

        // Text index of each key (valid on text keys), text length n, and the speech frame of each position:
        // 0 at the first position after the text (the first BOS), -1 before.
        var textSoFar = op.CumSum(flag, 0, exclusive: false); // [T]
        var n = op.ReduceMax(textSoFar, 0); // [1]
        var last = op.Sub(n, g.FloatScalar(1f));
        var textIndex = op.Sub(textSoFar, g.FloatScalar(1f));
        var afterText = op.Mul(Above(op, textSoFar, n, -0.5f), op.Sub(g.FloatScalar(1f), flag));
        var frames = op.Sub(op.CumSum(afterText, 0, exclusive: false), g.FloatScalar(1f));
        var frame = op.Slice(frames, op.Unsqueeze(body.Past, 0), op.Unsqueeze(body.Total, 0), g.LongConst(0)); // [S]

        var shift = op.Mul(falseStart, g.FloatScalar(FalseStartFrames));
        var progress = op.Div(op.Max(op.Sub(frame, shift), g.FloatScalar(0f)), g.FloatScalar(FramesPerTextId));
        var normal = op.Min(progress, last);
        var wrapped = op.Sub(progress, op.Mul(n, g.Node("Floor", [op.Div(progress, n)])));
        var jump = op.Mul(Above(op, progress, op.Mul(n, g.FloatScalar(0.5f)), 0f), g.FloatScalar(DiscontinuityJump));
        var skipped = op.Min(op.Add(progress, jump), last);
        var target = op.Add(normal, op.Add(op.Mul(repetition, op.Sub(wrapped, normal)), op.Mul(discontinuity, op.Sub(skipped, normal))));
        var hallucinating = Above(op, shift, frame, 0f); // [S]: frames of the false start
        target = op.Add(target, op.Mul(hallucinating, op.Sub(last, target)));

        // Row: softmax over text keys of -sharpness * (index - target)^2; other keys get nothing.
        var distance = op.Sub(op.Unsqueeze(textIndex, 0), op.Unsqueeze(target, 1)); // [S, T]
        var scores = op.Add(op.Mul(op.Mul(distance, distance), g.FloatScalar(-Sharpness)), op.Unsqueeze(op.Mul(op.Sub(flag, g.FloatScalar(1f)), g.FloatScalar(1e9f)), 0));
        var row = op.Softmax(scores); // [S, T]
        var headWeights = new float[AttentionLayers * AttentionHeads];
        ReadOnlySpan<float> shares = [1.5f, 0.9f, 0.6f];
        var reference = Sampling.AlignmentStreamAnalyzer.ReferenceHeads;
        for (var i = 0; i < reference.Length; i++)
        {
            headWeights[(reference[i].LayerSlot * AttentionHeads) + reference[i].Head] = shares[i];
        }

        var attention = op.Mul(op.Unsqueeze(row, 0, 1), g.Floats("synthetic.alignment_heads", headWeights, AttentionLayers, AttentionHeads, 1, 1));

        // STOP once the target reaches [STOP], unless the behaviour leaves stopping to the analyzer.
        var asksStop = op.Sub(op.Sub(g.FloatScalar(1f), longTail), repetition);
        var reached = op.Mul(Above(op, target, last, -0.5f), op.Sub(g.FloatScalar(1f), hallucinating));
        var stop = op.Mul(op.Mul(reached, asksStop), g.FloatScalar(SyntheticLayout.StopLogitMagnitude)); // [S]
        var stopOneHot = new float[vocab];
        stopOneHot[ChatterboxConstants.StopOfSpeech] = 1f;
        var repeatOneHot = new float[vocab];
        repeatOneHot[RepeatedToken] = RepeatedTokenBias;
        var bias = op.Add(
            op.Mul(op.Unsqueeze(stop, 0, 2), g.Floats("synthetic.alignment_stop", stopOneHot, vocab)),
            op.Mul(tokenRepetition, g.Floats("synthetic.repeated_token", repeatOneHot, vocab)));
        return (attention, bias);
    }

    /// <summary>1 where <paramref name="x"/> &gt; <paramref name="threshold"/> + <paramref name="offset"/>, else 0 (f32).</summary>
    private static string Above(OnnxGraphBuilderOps op, string x, string threshold, float offset) =>
        op.ToFloat(op.Graph.Node("Greater", [x, op.Add(threshold, op.Graph.FloatScalar(offset))]));

    private static string Above(OnnxGraphBuilderOps op, string x, float threshold) =>
        op.ToFloat(op.Graph.Node("Greater", [x, op.Graph.FloatScalar(threshold)]));
}
