using Onnx;

namespace Sawt.Inference.Synthetic;

/// <summary>Typed shorthands for the opset-17 operators the synthetic graphs use.</summary>
internal sealed class OnnxGraphBuilderOps(OnnxGraphBuilder g)
{
    public OnnxGraphBuilder Graph => g;

    public string Add(string a, string b) => g.Node("Add", [a, b]);

    public string Sub(string a, string b) => g.Node("Sub", [a, b]);

    public string Mul(string a, string b) => g.Node("Mul", [a, b]);

    public string Div(string a, string b) => g.Node("Div", [a, b]);

    public string MatMul(string a, string b) => g.Node("MatMul", [a, b]);

    public string Gather(string data, string indices, long axis = 0) => g.Node("Gather", [data, indices], OnnxGraphBuilder.Int("axis", axis));

    public string Cast(string x, TensorProto.Types.DataType to) => g.Node("Cast", [x], OnnxGraphBuilder.Int("to", (long)to));

    public string ToFloat(string x) => Cast(x, TensorProto.Types.DataType.Float);

    public string Equal(string a, string b) => g.Node("Equal", [a, b]);

    public string LessOrEqual(string a, string b) => g.Node("LessOrEqual", [a, b]);

    public string Less(string a, string b) => g.Node("Less", [a, b]);

    public string CumSum(string x, long axis, bool exclusive) =>
        g.Node("CumSum", [x, g.LongScalar(axis)], OnnxGraphBuilder.Int("exclusive", exclusive ? 1 : 0));

    public string ReduceMax(string x, long axis, bool keepDims = true) =>
        g.Node("ReduceMax", [x], OnnxGraphBuilder.Ints("axes", axis), OnnxGraphBuilder.Int("keepdims", keepDims ? 1 : 0));

    public string ReduceMean(string x, long axis, bool keepDims = true) =>
        g.Node("ReduceMean", [x], OnnxGraphBuilder.Ints("axes", axis), OnnxGraphBuilder.Int("keepdims", keepDims ? 1 : 0));

    public string ReduceSumSquare(string x, long axis, bool keepDims = true) =>
        g.Node("ReduceSumSquare", [x], OnnxGraphBuilder.Ints("axes", axis), OnnxGraphBuilder.Int("keepdims", keepDims ? 1 : 0));

    public string Min(string a, string b) => g.Node("Min", [a, b]);

    public string Max(string a, string b) => g.Node("Max", [a, b]);

    public string Sqrt(string x) => g.Node("Sqrt", [x]);

    public string Tanh(string x) => g.Node("Tanh", [x]);

    public string Sin(string x) => g.Node("Sin", [x]);

    public string Cos(string x) => g.Node("Cos", [x]);

    public string Abs(string x) => g.Node("Abs", [x]);

    public string Log(string x) => g.Node("Log", [x]);

    public string Sigmoid(string x) => g.Node("Sigmoid", [x]);

    public string Softmax(string x, long axis = -1) => g.Node("Softmax", [x], OnnxGraphBuilder.Int("axis", axis));

    public string Reshape(string x, string shape) => g.Node("Reshape", [x, shape]);

    public string Reshape(string x, params long[] shape) => Reshape(x, g.LongConst(shape));

    public string Transpose(string x, params long[] perm) => g.Node("Transpose", [x], OnnxGraphBuilder.Ints("perm", perm));

    public string Concat(long axis, params string[] parts) => g.Node("Concat", parts, OnnxGraphBuilder.Int("axis", axis));

    public string Slice(string x, string starts, string ends, string axes) => g.Node("Slice", [x, starts, ends, axes]);

    public string Slice(string x, long start, long end, long axis) =>
        Slice(x, g.LongConst(start), g.LongConst(end), g.LongConst(axis));

    /// <summary>Dimensions [start, end) of <paramref name="x"/>'s shape as a 1-D int64 tensor.</summary>
    public string Shape(string x, long start, long end) =>
        g.Node("Shape", [x], OnnxGraphBuilder.Int("start", start), OnnxGraphBuilder.Int("end", end));

    public string Squeeze(string x, params long[] axes) => g.Node("Squeeze", [x, g.LongConst(axes)]);

    public string Unsqueeze(string x, params long[] axes) => g.Node("Unsqueeze", [x, g.LongConst(axes)]);

    public string Range(string start, string limit, string delta) => g.Node("Range", [start, limit, delta]);

    public string ArgMax(string x, long axis, bool keepDims) =>
        g.Node("ArgMax", [x], OnnxGraphBuilder.Int("axis", axis), OnnxGraphBuilder.Int("keepdims", keepDims ? 1 : 0));

    public string Mod(string a, string b) => g.Node("Mod", [a, b]);

    public string Expand(string x, string shape) => g.Node("Expand", [x, shape]);

    public string Where(string condition, string a, string b) => g.Node("Where", [condition, a, b]);

    public string Clip(string x, float min, float max) => g.Node("Clip", [x, g.FloatScalar(min), g.FloatScalar(max)]);

    /// <summary>Llama RMSNorm over the last axis: x / sqrt(mean(x^2) + eps) * weight.</summary>
    public string RmsNorm(string x, string weight, float eps = 1e-5f)
    {
        var meanSquare = ReduceMean(Mul(x, x), -1);
        var inverse = Div(g.FloatScalar(1f), Sqrt(Add(meanSquare, g.FloatScalar(eps))));
        return Mul(Mul(x, inverse), weight);
    }

    /// <summary>Scales each vector on the last axis to a root mean square of 1 (sum of squares = width).</summary>
    public string UnitRms(string x, int width)
    {
        var norm = Sqrt(Add(ReduceSumSquare(x, -1), g.FloatScalar(1e-12f)));
        return Mul(x, Div(g.FloatScalar(MathF.Sqrt(width)), norm));
    }
}
