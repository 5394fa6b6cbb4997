using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Sawt.Inference.Bundles;

/// <summary>Checks a loaded graph's tensors against what the engine will feed and read.</summary>
internal sealed class GraphContract(string path, InferenceSession session)
{
    private readonly string _file = Path.GetFileName(path);

    public IReadOnlyDictionary<string, NodeMetadata> Inputs => session.InputMetadata;

    public IReadOnlyDictionary<string, NodeMetadata> Outputs => session.OutputMetadata;

    public GraphContract Input(string name, int rank, params TensorElementType[] types) =>
        Check("input", session.InputMetadata, name, rank, types);

    public GraphContract Output(string name, int rank, params TensorElementType[] types) =>
        Check("output", session.OutputMetadata, name, rank, types);

    /// <summary>A fixed dimension of a tensor, or a clear error when it is dynamic.</summary>
    public int FixedDimension(string name, int axis, bool isInput = true)
    {
        var metadata = (isInput ? session.InputMetadata : session.OutputMetadata)[name];
        var value = metadata.Dimensions[axis];
        return value > 0
            ? value
            : throw new InferenceException(InferenceErrorCode.BundleTensorMismatch,
                $"{_file}: {(isInput ? "input" : "output")} '{name}' axis {axis} must have a fixed size (it is dynamic).");
    }

    public InferenceException Mismatch(string message) =>
        new(InferenceErrorCode.BundleTensorMismatch, $"{_file}: {message}");

    private GraphContract Check(string kind, IReadOnlyDictionary<string, NodeMetadata> tensors, string name, int rank, TensorElementType[] types)
    {
        if (!tensors.TryGetValue(name, out var metadata))
        {
            throw new InferenceException(InferenceErrorCode.BundleTensorMissing,
                $"{_file}: required {kind} '{name}' is missing (the graph has: {string.Join(", ", tensors.Keys.Take(12))}{(tensors.Count > 12 ? ", ..." : string.Empty)}).");
        }

        if (!metadata.IsTensor || !types.Contains(metadata.ElementDataType))
        {
            throw new InferenceException(InferenceErrorCode.BundleTensorMismatch,
                $"{_file}: {kind} '{name}' has element type {metadata.ElementDataType}, expected {string.Join(" or ", types)}.");
        }

        if (metadata.Dimensions.Length != rank)
        {
            throw new InferenceException(InferenceErrorCode.BundleTensorMismatch,
                $"{_file}: {kind} '{name}' has rank {metadata.Dimensions.Length}, expected {rank}.");
        }

        return this;
    }
}
