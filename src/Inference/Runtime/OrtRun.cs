using Microsoft.ML.OnnxRuntime;

namespace Sawt.Inference.Runtime;

/// <summary>Runs a session and turns native failures into <see cref="InferenceException"/>s (or cancellation).</summary>
internal static class OrtRun
{
    /// <summary>Caller disposes the returned outputs.</summary>
    public static IDisposableReadOnlyCollection<OrtValue> Run(
        InferenceSession session,
        RunOptions runOptions,
        IReadOnlyCollection<string> inputNames,
        IReadOnlyCollection<OrtValue> inputs,
        IReadOnlyCollection<string> outputNames,
        string graphName,
        CancellationToken cancellationToken)
    {
        try
        {
            return session.Run(runOptions, inputNames, inputs, outputNames);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InferenceException(InferenceErrorCode.RuntimeFailure, $"{graphName}: ONNX Runtime failed: {ex.Message.Split('\n')[0]}", ex);
        }
    }
}
