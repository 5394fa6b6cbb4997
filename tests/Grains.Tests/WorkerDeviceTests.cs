using Sawt.Grains.Hosting;
using Sawt.Inference.Runtime;

namespace Sawt.Grains.Tests;

/// <summary><c>Sawt:Workers:Devices</c>: each entry a device with its own engine; duplicates fail, never merge.</summary>
[Trait("Category", "Unit")]
public sealed class WorkerDeviceTests
{
    [Theory]
    [InlineData("auto", "auto", ExecutionProviderKind.Auto, 0)]
    [InlineData("cpu", "cpu", ExecutionProviderKind.Cpu, 0)]
    [InlineData(" CPU:1 ", "cpu:1", ExecutionProviderKind.Cpu, 1)]
    [InlineData("cpu:0", "cpu:0", ExecutionProviderKind.Cpu, 0)]
    [InlineData("cpu:007", "cpu:7", ExecutionProviderKind.Cpu, 7)]
    [InlineData("cuda", "cuda:0", ExecutionProviderKind.Cuda, 0)]
    [InlineData("cuda:3", "cuda:3", ExecutionProviderKind.Cuda, 3)]
    public void Parse_KnownEntry_NameKindAndIndex(string text, string name, ExecutionProviderKind kind, int index)
    {
        var device = WorkerDevice.Parse(text);

        Assert.Equal(name, device.Name);
        Assert.Equal(kind, device.Choice.Kind);
        Assert.Equal(index, device.Index);
        if (kind == ExecutionProviderKind.Cuda)
        {
            // Each GPU device's engine runs on its own CUDA ordinal.
            Assert.Equal(index, device.Choice.DeviceId);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("gpu")]
    [InlineData("cpu:")]
    [InlineData("cpu:-1")]
    [InlineData("cuda:x")]
    [InlineData("cpu/1")]
    public void Parse_UnknownEntry_FailsNamingIt(string text)
    {
        var error = Assert.Throws<FormatException>(() => WorkerDevice.Parse(text));

        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sawt:Workers:Devices", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseList_Empty_IsOneAutoDevice()
    {
        var device = Assert.Single(WorkerDevice.ParseList([]));

        Assert.Equal("auto", device.Name);
    }

    [Fact]
    public void ParseList_SeveralDevices_OneEachInOrder()
    {
        var devices = WorkerDevice.ParseList(["cpu:0", "cpu:1", "cuda:0", "cuda:1"]);

        Assert.Equal(["cpu:0", "cpu:1", "cuda:0", "cuda:1"], devices.Select(d => d.Name));
    }

    [Theory]
    [InlineData("cpu", "cpu:0")]
    [InlineData("cuda:0", "cuda:0")]
    [InlineData("cuda", "CUDA:0")]
    [InlineData("cpu:1", "cpu:01")]
    public void ParseList_SameDeviceTwice_FailsNamingBoth(string first, string second)
    {
        var error = Assert.Throws<FormatException>(() => WorkerDevice.ParseList([first, "cpu:5", second]));

        Assert.Contains("same device", error.Message, StringComparison.Ordinal);
        Assert.Contains(WorkerDevice.Parse(first).Name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto", "cpu")]
    [InlineData("cuda:1", "auto")]
    [InlineData("auto", "auto")]
    public void ParseList_AutoBesideOthers_Fails(string first, string second)
    {
        var error = Assert.Throws<FormatException>(() => WorkerDevice.ParseList([first, second]));

        Assert.Contains("'auto' must be the only entry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_DuplicateDevices_FailsWithTheMessage()
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions { Devices = ["cpu", "cpu:0"] });

        Assert.True(result.Failed);
        Assert.Contains("cpu and cpu:0 name the same device", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new WorkerOptionsValidator().Validate(null, new WorkerOptions { Devices = ["cpu:0", "cpu:1"] }).Succeeded);
    }

    [Fact]
    public void Validator_DecoderBatchOfZeroRows_FailsNamingTheSection()
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions { MaxDecodeBatchSize = 0 });

        Assert.True(result.Failed);
        Assert.Contains("Sawt:Workers", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("MaxBatchSize", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new WorkerOptionsValidator().Validate(null, new WorkerOptions { MaxDecodeBatchSize = 1 }).Succeeded);
    }

    [Fact]
    public void Validator_FirstAudioTargetNotAboveTheDecodeAllowance_Fails()
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions { FirstAudioTargetMilliseconds = 100, FirstDecodeAllowanceMilliseconds = 100 });

        Assert.True(result.Failed);
        Assert.Contains("FirstAudioTargetMilliseconds (100) must be larger", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new WorkerOptionsValidator().Validate(null, new WorkerOptions { FirstAudioTargetMilliseconds = 250, FirstDecodeAllowanceMilliseconds = 100 }).Succeeded);
    }

    [Fact]
    public void SchedulerOptions_FirstChunkTargetIsTheAudioTargetLessTheDecodeAllowance_KvBudgetInBytes()
    {
        var options = new WorkerOptions { FirstAudioTargetMilliseconds = 250, FirstDecodeAllowanceMilliseconds = 80, MaxKvCacheMegabytes = 3 }.SchedulerOptions;

        Assert.Equal(170, options.FirstChunkTargetMilliseconds);
        Assert.Equal(3L * 1024 * 1024, options.MaxKvCacheBytes);
        Assert.Null(new WorkerOptions().SchedulerOptions.FirstChunkTargetMilliseconds);
        Assert.Null(new WorkerOptions().SchedulerOptions.MaxKvCacheBytes);
    }

    [Theory]
    [InlineData("cpu:0", 0, 1, 16, 0)] // One CPU device: ONNX Runtime decides, as before.
    [InlineData("cpu:0", 0, 2, 16, 8)] // Two CPU devices share the cores.
    [InlineData("cpu:0", 0, 3, 2, 1)] // Never below one thread.
    [InlineData("cpu:0", 4, 2, 16, 4)] // A configured value wins.
    [InlineData("cuda:0", 0, 2, 16, 0)] // GPU devices keep the default.
    public void IntraOpThreads_SplitsCoresOnlyBetweenSeveralCpuDevices(string device, int configured, int cpuDevices, int cores, int expected) =>
        Assert.Equal(expected, WorkerDevice.Parse(device).IntraOpThreads(configured, cpuDevices, cores));
}
