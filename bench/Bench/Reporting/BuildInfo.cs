using System.Diagnostics;
using System.Reflection;

namespace Sawt.Bench.Reporting;

/// <summary>Whether the bench itself was compiled without optimisations (a Debug build).</summary>
internal static class BuildInfo
{
    public static bool IsDebugBuild { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false;
}
