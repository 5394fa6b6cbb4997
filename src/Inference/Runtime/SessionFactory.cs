using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Sawt.Inference.Runtime;

/// <summary>
/// Creates <see cref="InferenceSession"/>s on the chosen provider. The provider is resolved once (the
/// first CUDA failure under <c>auto</c> logs one warning and sticks to CPU); graph load failures become
/// <see cref="InferenceException"/>s that name the file.
/// </summary>
public sealed partial class SessionFactory
{
    private readonly ExecutionProviderChoice _choice;
    private readonly int _intraOpThreads;
    private readonly ILogger _logger;
    private ExecutionProviderChoice? _resolved;

    public SessionFactory(ExecutionProviderChoice choice, int intraOpThreads = 0, ILogger? logger = null)
    {
        _choice = choice;
        _intraOpThreads = intraOpThreads;
        _logger = logger ?? NullLogger.Instance;
        QuietNativeLog();
    }

    /// <summary>The provider sessions actually run on (<c>cpu</c> or <c>cuda:N</c>), known after the first session.</summary>
    public ExecutionProviderChoice Resolved => _resolved ?? Resolve();

    /// <summary>Loads one graph. Caller disposes.</summary>
    public InferenceSession Create(string path)
    {
        var provider = Resolved;
        using var options = CreateOptions(provider);
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InferenceException(InferenceErrorCode.BundleGraphCorrupt,
                $"{Path.GetFileName(path)}: ONNX Runtime cannot load this graph ({FirstLine(ex.Message)}). The file may be corrupt, truncated, or missing its .onnx_data sidecar.", ex);
        }
    }

    private ExecutionProviderChoice Resolve()
    {
        if (_choice.Kind == ExecutionProviderKind.Cpu)
        {
            return _resolved = _choice;
        }

        try
        {
            using var probe = new SessionOptions();
            probe.AppendExecutionProvider_CUDA(_choice.DeviceId);
            return _resolved = ExecutionProviderChoice.Cuda(_choice.DeviceId);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            if (_choice.Kind == ExecutionProviderKind.Cuda)
            {
                throw new InferenceException(InferenceErrorCode.ExecutionProviderUnavailable,
                    $"Execution provider {_choice} was requested but CUDA cannot be used here: {FirstLine(ex.Message)} (ONNX Runtime 1.31 needs CUDA 13, cuDNN and a visible GPU).", ex);
            }

            LogCudaFallback(_logger, _choice.DeviceId, FirstLine(ex.Message));
            return _resolved = ExecutionProviderChoice.Cpu;
        }
    }

    /// <summary>
    /// ONNX Runtime's process-wide environment prints native errors to stderr (a failed CUDA probe prints
    /// a page); we report them through our logger instead. Only possible before the environment exists.
    /// </summary>
    private static void QuietNativeLog()
    {
        if (!OrtEnv.IsCreated)
        {
            var options = new EnvironmentCreationOptions { logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, logId = "sawt" };
            OrtEnv.CreateInstanceWithOptions(ref options);
        }
    }

    private SessionOptions CreateOptions(ExecutionProviderChoice provider)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (_intraOpThreads > 0)
        {
            options.IntraOpNumThreads = _intraOpThreads;
        }

        if (provider.Kind == ExecutionProviderKind.Cuda)
        {
            options.AppendExecutionProvider_CUDA(provider.DeviceId);
        }

        return options;
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "CUDA device {DeviceId} is not usable ({Reason}); falling back to the CPU execution provider")]
    private static partial void LogCudaFallback(ILogger logger, int deviceId, string reason);
}
