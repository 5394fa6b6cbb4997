using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sawt.Tests.Shared;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, owned by the test that starts it. It saves nothing on its own;
/// it can be killed (<see cref="StopAsync"/>: it comes back empty) or shut down keeping its data
/// (<see cref="ShutdownAsync"/>, as an operator restarts a persistent Redis), and started again on the same port. Without the binary the test skips, except under
/// CI=true where a missing server fails (.ci/run installs it). Linked into every test project that needs Redis.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(20);
    private Process? _process;

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("sawt-redis-");

    private RedisServer(string executable, int port)
    {
        Executable = executable;
        Port = port;
    }

    public string Executable { get; }

    public int Port { get; }

    /// <summary>A StackExchange.Redis / Orleans connection string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)},abortConnect=false";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a free port and waits until it answers; skips (or fails under CI) without one.</summary>
    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var executable = Find();
        if (executable is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "redis-server is not installed; .ci/run installs it (apt-get install -y redis-server).");
            Assert.Skip("redis-server is not installed (apt-get install -y redis-server); set CI=true to make this a failure.");
        }

        var server = new RedisServer(executable!, FreePort());
        await server.StartAgainAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts the server (again) on its port; it comes back empty, as a restarted cache would.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir", _data.FullName, "--dbfilename", "dump.rdb" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(StartBound);
        while (!await AnswersPingAsync(bound.Token))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode} on port {Port}.");
            }

            await Task.Delay(20, bound.Token);
        }
    }

    /// <summary>Kills the server (an outage as clients see it: connections drop, nothing answers).</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(StartBound);
        }

        _process.Dispose();
        _process = null;
    }

    /// <summary>Shuts the server down after saving its data, which the next start loads: an outage that loses nothing.</summary>
    public async Task ShutdownAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            using (var client = new TcpClient())
            {
                await client.ConnectAsync(IPAddress.Loopback, Port);
                await client.GetStream().WriteAsync("SHUTDOWN SAVE\r\n"u8.ToArray());
                await _process.WaitForExitAsync().WaitAsync(StartBound);
            }
        }

        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            _data.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Temp leftovers are harmless.
        }
    }

    private async Task<bool> AnswersPingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return read >= 5 && buffer.AsSpan(0, 5).SequenceEqual("+PONG"u8);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string? Find()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
