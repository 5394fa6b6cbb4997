using System.Diagnostics;

namespace Sawt.Bench.Cluster;

/// <summary>
/// One host from the bench's own output folder (<c>dotnet Sawt.Silo.dll ...</c>) run as a child process: its stdout
/// and stderr are drained line by line (forwarded to the log and kept as a short tail for error messages), and its
/// whole tree is killed on dispose, or when the bench process exits first (an unhandled failure, Ctrl+C past the
/// command line's grace period).
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int TailLines = 40;

    private readonly Process _process;
    private readonly TextWriter _log;
    private readonly Queue<string> _tail = new();

    private ChildProcess(string name, Process process, TextWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    /// <summary>Short name for the log and the report, e.g. <c>silo</c>.</summary>
    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>User plus kernel CPU time of the process (all its threads) so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <param name="name">Short name for the log and the report.</param>
    /// <param name="assembly">An app in the bench's output folder, e.g. <c>Sawt.Silo.dll</c>; it runs with that folder as its working directory (content root).</param>
    /// <param name="arguments">Its command line after the assembly.</param>
    /// <param name="log">Where its output lines go, prefixed with its name.</param>
    public static ChildProcess Start(string name, string assembly, IEnumerable<string> arguments, TextWriter log)
    {
        var folder = AppContext.BaseDirectory;
        var path = Path.Combine(folder, assembly);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{assembly} is not in the bench's output folder {folder}; rebuild bench/Bench.", path);
        }

        // The muxer that runs the SDK (set by the dotnet CLI for its children), else dotnet on PATH.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProcess(name, process, log);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        AppDomain.CurrentDomain.ProcessExit += child.OnBenchExit;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log.WriteLine($"[{name}] started pid {process.Id}: dotnet {assembly} {string.Join(' ', start.ArgumentList.Skip(1))}");
        return child;
    }

    /// <summary>The last lines it wrote (stdout and stderr interleaved), for error messages.</summary>
    public string Tail()
    {
        lock (_tail)
        {
            var exit = _process.HasExited ? $"exited with code {_process.ExitCode}" : "still running";
            return $"--- {Name} ({exit}), last {_tail.Count} output lines ---\n{string.Join('\n', _tail)}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnBenchExit;
        Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _log.WriteLine($"[{Name}] did not exit within 10 s of being killed (pid {_process.Id}).");
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            if (_tail.Count == TailLines)
            {
                _tail.Dequeue();
            }

            _tail.Enqueue(line);
        }

        _log.WriteLine($"[{Name}] {line}");
    }

    private void OnBenchExit(object? sender, EventArgs e) => Kill();

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited (or never started): nothing left to kill.
        }
    }
}
