using System.Diagnostics;

namespace Sawt.Silo;

/// <summary>
/// A silo (or a standalone gateway) running as a child process (see <see cref="RedisClusterHost.StartSiloProcess"/> and
/// <see cref="RedisClusterHost.StartGatewayProcess"/>), for fault tests that kill one outright. Its output is read and
/// dropped, so a full pipe never stalls it.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private SiloProcess(Process process, string endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>The silo endpoint (as in worker keys and activation addresses); a gateway's HTTP address.</summary>
    public string Endpoint { get; }

    public bool HasExited => _process.HasExited;

    internal static SiloProcess Start(string siloAssembly, IEnumerable<string> arguments, string endpoint)
    {
        // The dotnet host that runs this process (DOTNET_HOST_PATH under the SDK), so the child uses the same runtime.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(siloAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host} {siloAssembly}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process, endpoint);
    }

    /// <summary>Kills the process at once (SIGKILL): nothing of it runs on, nothing is announced to the cluster or its clients.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        // Both a test and the host that started the process may dispose it.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        _process.Dispose();
    }
}
