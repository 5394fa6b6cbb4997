using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Sawt.Gateway.Audio;

/// <summary>One ffmpeg process with its three pipes; stderr is drained in the background, keeping only its tail.</summary>
internal sealed class FfmpegProcess : IEncoderProcess
{
    private const int MaxErrorChars = 4096;

    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly Task _errorReader;

    private FfmpegProcess(Process process)
    {
        _process = process;
        _errorReader = DrainErrorsAsync();
    }

    public Stream Input => _process.StandardInput.BaseStream;

    public Stream Output => _process.StandardOutput.BaseStream;

    public bool HasExited => _process.HasExited;

    public string ErrorOutput
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString().Trim();
            }
        }
    }

    /// <summary>Starts <paramref name="path"/> with <paramref name="arguments"/>.</summary>
    /// <exception cref="Win32Exception">The program is not there (or not executable).</exception>
    public static FfmpegProcess Start(string path, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"'{path}' did not start.");
        return new FfmpegProcess(process);
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _errorReader.ConfigureAwait(false);
        return _process.ExitCode;
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile: nothing to kill.
        }
    }

    public void Dispose() => _process.Dispose();

    private async Task DrainErrorsAsync()
    {
        var buffer = new char[1024];
        int read;
        try
        {
            while ((read = await _process.StandardError.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lock (_errors)
                {
                    _errors.Append(buffer, 0, read);
                    if (_errors.Length > MaxErrorChars)
                    {
                        _errors.Remove(0, _errors.Length - MaxErrorChars);
                    }
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke with the process (killed): what was read is what there is.
        }
        catch (ObjectDisposedException)
        {
            // Disposed while draining: the same.
        }
    }
}
