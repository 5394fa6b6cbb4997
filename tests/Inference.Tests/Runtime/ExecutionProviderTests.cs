using Microsoft.Extensions.Logging;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;

namespace Sawt.Inference.Tests.Runtime;

[Trait("Category", "Unit")]
public sealed class ExecutionProviderTests(TinyBundleFixture bundle)
{
    [Theory]
    [InlineData("auto", ExecutionProviderKind.Auto, 0)]
    [InlineData("CPU", ExecutionProviderKind.Cpu, 0)]
    [InlineData("cuda", ExecutionProviderKind.Cuda, 0)]
    [InlineData("cuda:3", ExecutionProviderKind.Cuda, 3)]
    public void Parse_ValidText_KindAndDevice(string text, ExecutionProviderKind kind, int device)
    {
        var choice = ExecutionProviderChoice.Parse(text);
        Assert.Equal(kind, choice.Kind);
        Assert.Equal(device, choice.DeviceId);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("tensorrt")]
    public void Parse_InvalidText_InvalidOptions(string text)
    {
        var error = Assert.Throws<InferenceException>(() => ExecutionProviderChoice.Parse(text));
        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
    }

    [Fact]
    public void Load_ForcedCudaWithoutCuda_ExecutionProviderUnavailable()
    {
        Assert.SkipWhen(CudaWorks(), "CUDA is usable on this machine; the forced-CUDA failure path cannot be shown here.");
        var error = Assert.Throws<InferenceException>(() =>
            ModelBundle.Load(bundle.Directory, new BundleOptions { ExecutionProvider = ExecutionProviderChoice.Cuda(0) }));
        Assert.Equal(InferenceErrorCode.ExecutionProviderUnavailable, error.Code);
        Assert.Contains("cuda:0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AutoWithoutCuda_FallsBackToCpuWithWarning()
    {
        Assert.SkipWhen(CudaWorks(), "CUDA is usable on this machine; auto picks it.");
        var logger = new RecordingLogger();
        using var loaded = ModelBundle.Load(bundle.Directory, new BundleOptions { ExecutionProvider = ExecutionProviderChoice.Auto }, logger);
        Assert.Equal(ExecutionProviderKind.Cpu, loaded.Provider.Kind);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("falling back to the CPU", StringComparison.Ordinal));
    }

    private static bool CudaWorks()
    {
        try
        {
            using var options = new Microsoft.ML.OnnxRuntime.SessionOptions();
            options.AppendExecutionProvider_CUDA(0);
            return true;
        }
        catch (Exception ex) when (ex is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
