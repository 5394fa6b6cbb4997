using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Sawt.Bench.Reporting;

/// <summary>What a reader needs to compare numbers across machines.</summary>
internal sealed record MachineFacts(string Cpu, int LogicalCores, string Memory, string OperatingSystem, string DotNet, string OnnxRuntime, DateTimeOffset Date, string LoadAverage)
{
    public static MachineFacts Collect() => new(
        CpuModel(),
        Environment.ProcessorCount,
        TotalMemory(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        OrtEnv.Instance().GetVersionString(),
        DateTimeOffset.UtcNow,
        ReadLoadAverage());

    /// <summary>The 1, 5 and 15 minute load averages; other work on the machine shows up as noise in the numbers.</summary>
    public static string ReadLoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Whether a load average string (as <see cref="ReadLoadAverage"/> gives it) shows more runnable work than cores.</summary>
    public static bool IsBusy(string loadAverage, int cores) =>
        double.TryParse(loadAverage.Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var oneMinute)
        && oneMinute > cores;

    private static string CpuModel() =>
        ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static string TotalMemory()
    {
        // /proc/meminfo: "MemTotal:       16384256 kB".
        var field = ProcField("/proc/meminfo", "MemTotal");
        return field is not null && long.TryParse(field.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], out var kb)
            ? $"{kb / (1024.0 * 1024.0):F1} GiB"
            : "unknown";
    }

    private static string? ProcField(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() == key)
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}
