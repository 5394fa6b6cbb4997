using System.Globalization;
using Sawt.Inference.Runtime;

namespace Sawt.Grains.Hosting;

/// <summary>
/// One entry of <c>Sawt:Workers:Devices</c>: the device name used in worker keys, and what the engine runs on.
/// <c>cpu:N</c> is a separate CPU engine (its own ONNX sessions); several CPU devices share the machine's cores, which
/// makes placement and spreading testable without a GPU. <c>cuda:N</c> is GPU N; <c>auto</c> resolves at load.
/// </summary>
/// <param name="Name">Lower-case device name as it appears in worker keys (<c>cpu</c>, <c>cpu:1</c>, <c>cuda:0</c>, <c>auto</c>).</param>
/// <param name="Choice">The execution provider the device's engine is loaded with.</param>
/// <param name="Index">CPU engine number or CUDA ordinal; two entries with the same kind and index are the same device.</param>
internal sealed record WorkerDevice(string Name, ExecutionProviderChoice Choice, int Index)
{
    private const string DevicesKey = WorkerOptions.SectionName + ":Devices";

    public bool IsCpu => Choice.Kind == ExecutionProviderKind.Cpu;

    /// <summary>Parses one entry: <c>auto</c>, <c>cpu</c>, <c>cpu:N</c>, <c>cuda</c> or <c>cuda:N</c> (case-insensitive).</summary>
    /// <exception cref="FormatException">The entry is none of these.</exception>
    public static WorkerDevice Parse(string? text)
    {
        var value = (text ?? string.Empty).Trim().ToLowerInvariant();
        switch (value)
        {
            case "auto":
                return new("auto", ExecutionProviderChoice.Auto, 0);
            case "cpu":
                return new("cpu", ExecutionProviderChoice.Cpu, 0);
            case "cuda":
                return new("cuda:0", ExecutionProviderChoice.Cuda(0), 0);
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            // The name keeps the configured spelling ("cpu:0" stays "cpu:0"), minus leading zeros.
            switch (value[..colon])
            {
                case "cpu":
                    return new(string.Create(CultureInfo.InvariantCulture, $"cpu:{index}"), ExecutionProviderChoice.Cpu, index);
                case "cuda":
                    return new(string.Create(CultureInfo.InvariantCulture, $"cuda:{index}"), ExecutionProviderChoice.Cuda(index), index);
            }
        }

        throw new FormatException($"{DevicesKey}: '{text}' is not a device; use auto, cpu, cpu:N, cuda or cuda:N.");
    }

    /// <summary>
    /// Parses the configured list; empty means one <c>auto</c> device. Duplicates (<c>cpu</c> and <c>cpu:0</c>,
    /// <c>cuda:0</c> twice) and <c>auto</c> beside other entries are configuration errors, never merged silently.
    /// </summary>
    /// <exception cref="FormatException">An entry is invalid, a device is listed twice, or <c>auto</c> is not alone.</exception>
    public static IReadOnlyList<WorkerDevice> ParseList(IReadOnlyList<string> entries)
    {
        if (entries.Count == 0)
        {
            return [Parse("auto")];
        }

        var devices = entries.Select(Parse).ToList();
        if (devices.Count > 1 && devices.Any(d => d.Choice.Kind == ExecutionProviderKind.Auto))
        {
            // auto may resolve to cuda:0 or to cpu, so beside other entries it could name one device twice.
            throw new FormatException($"{DevicesKey}: 'auto' must be the only entry (listed: {string.Join(", ", entries)}); name the devices instead (cpu:0, cuda:1, ...).");
        }

        var duplicate = devices.GroupBy(d => (d.Choice.Kind, d.Index)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"{DevicesKey}: {string.Join(" and ", duplicate.Select(d => d.Name))} name the same device; list each device once.");
        }

        return devices;
    }

    /// <summary>
    /// ONNX Runtime intra-op threads for this device's sessions. A configured value wins; otherwise one CPU device
    /// lets ONNX Runtime decide (all cores), and several CPU devices split the cores between them, since their engines
    /// run at the same time on the same cores. GPU devices keep ONNX Runtime's default.
    /// </summary>
    public int IntraOpThreads(int configured, int cpuDeviceCount, int processorCount) =>
        configured > 0 ? configured
        : IsCpu && cpuDeviceCount > 1 ? Math.Max(1, processorCount / cpuDeviceCount)
        : 0;
}
