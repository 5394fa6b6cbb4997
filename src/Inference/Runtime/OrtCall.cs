using Microsoft.ML.OnnxRuntime;

namespace Sawt.Inference.Runtime;

/// <summary>
/// One graph run: the inputs it owns, its <see cref="RunOptions"/> (terminated on cancellation), and its
/// outputs. Disposing releases every native value and updates the <see cref="NativeMemoryLedger"/>.
/// Native failures become <see cref="InferenceException"/>s; a run aborted by cancellation becomes
/// <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class OrtCall : IDisposable
{
    private readonly NativeMemoryLedger _ledger;
    private readonly List<OrtValue> _inputs = [];
    private readonly List<string> _inputNames = [];
    private IDisposableReadOnlyCollection<OrtValue>? _outputs;

    public OrtCall(NativeMemoryLedger ledger)
    {
        _ledger = ledger;
    }

    /// <summary>Outputs of <see cref="Run"/>, in the order of the requested names. Valid until dispose.</summary>
    public IReadOnlyList<OrtValue> Outputs => _outputs ?? throw new InvalidOperationException("The graph has not run yet.");

    public OrtCall Input<T>(string name, T[] data, params long[] shape)
        where T : unmanaged
    {
        _inputs.Add(OrtValue.CreateTensorValueFromMemory(data, shape));
        _inputNames.Add(name);
        _ledger.Acquired(1);
        return this;
    }

    public IReadOnlyList<OrtValue> Run(InferenceSession session, IReadOnlyCollection<string> outputNames, string graphName, CancellationToken cancellationToken)
    {
        _outputs = Invoke(runOptions => session.Run(runOptions, _inputNames, _inputs, outputNames), graphName, cancellationToken);
        _ledger.Acquired(_outputs.Count);
        return _outputs;
    }

    /// <summary>
    /// Runs a graph on inputs the caller owns and hands every output over, counted in the ledger: the caller disposes
    /// each one (and releases it from the ledger), so outputs can outlive the call, as a KV cache does.
    /// </summary>
    public static OrtValue[] RunDetached(InferenceSession session, IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputs, IReadOnlyCollection<string> outputNames, string graphName, NativeMemoryLedger ledger, CancellationToken cancellationToken)
    {
        var outputs = Invoke(runOptions => session.Run(runOptions, inputNames, inputs, outputNames), graphName, cancellationToken);
        ledger.Acquired(outputs.Count);
        // The collection only disposes its elements; taking them out transfers that duty to the caller.
        return [.. outputs];
    }

    /// <summary>One run with its own <see cref="RunOptions"/>, terminated on cancellation; native failures become one exception type.</summary>
    private static IDisposableReadOnlyCollection<OrtValue> Invoke(Func<RunOptions, IDisposableReadOnlyCollection<OrtValue>> run, string graphName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        try
        {
            return run(runOptions);
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

    public void Dispose()
    {
        if (_outputs is not null)
        {
            _ledger.Released(_outputs.Count);
            _outputs.Dispose();
            _outputs = null;
        }

        foreach (var input in _inputs)
        {
            input.Dispose();
        }

        _ledger.Released(_inputs.Count);
        _inputs.Clear();
    }
}
