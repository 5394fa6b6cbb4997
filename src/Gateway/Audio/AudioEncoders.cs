using System.ComponentModel;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Audio;

/// <summary>
/// The gateway's ffmpeg: which encoders it has (probed once at start by <see cref="AudioEncoderProbe"/>), and at most
/// <see cref="GatewayOptions.MaxEncoderProcesses"/> encoder processes at once, one per response.
/// </summary>
internal sealed class AudioEncoders(IOptions<GatewayOptions> options, ILogger<AudioEncoders> logger)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

    // Not disposed: it never creates its wait handle (AvailableWaitHandle is unused), and a response that ends while the
    // host shuts down must still be able to return its slot.
    private readonly SemaphoreSlim _slots = new(options.Value.MaxEncoderProcesses, options.Value.MaxEncoderProcesses);
    private volatile IReadOnlySet<string>? _encoders;
    private volatile string _status = "not probed";

    /// <summary>One line for the health answer: <c>ffmpeg</c> and its encoders, or why there is none.</summary>
    public string Status => _status;

    /// <summary>Runs <c>ffmpeg -encoders</c> and records which of the formats' encoders it has.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        var path = options.Value.FfmpegPath;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            using var process = FfmpegProcess.Start(path, ["-hide_banner", "-nostdin", "-encoders"]);
            await process.Input.DisposeAsync().ConfigureAwait(false);
            using var reader = new StreamReader(process.Output);
            var listing = await reader.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
            var exitCode = await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            if (exitCode != 0)
            {
                Unavailable($"'{path} -encoders' exited with code {exitCode}");
                return;
            }

            // Lines look like " A....D libmp3lame           libmp3lame MP3 (MPEG audio layer 3) (codec mp3)".
            var found = listing.Split('\n')
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(words => words.Length >= 2)
                .Select(words => words[1])
                .ToHashSet(StringComparer.Ordinal);
            var wanted = TranscodedFormats.Containers.Append(TranscodedFormats.Pcm16).Select(format => format.Encoder);
            var present = wanted.Where(found.Contains).ToHashSet(StringComparer.Ordinal);
            _encoders = present;
            var missing = wanted.Where(encoder => !present.Contains(encoder)).ToList();
            _status = missing.Count == 0 ? "ffmpeg" : $"ffmpeg without {string.Join(", ", missing)}";
            GatewayLog.EncoderProbed(logger, path, string.Join(", ", present), missing.Count == 0 ? "none" : string.Join(", ", missing));
        }
        catch (Exception exception) when (exception is Win32Exception or IOException or InvalidOperationException)
        {
            Unavailable($"'{path}' could not be run: {exception.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Unavailable($"'{path} -encoders' did not answer within {ProbeTimeout.TotalSeconds} s");
        }
    }

    /// <summary>Throws <c>encoder_unavailable</c> unless the probe found <paramref name="format"/>'s encoder.</summary>
    public void EnsureAvailable(TranscodedFormat format)
    {
        if (_encoders is not { } encoders || !encoders.Contains(format.Encoder))
        {
            throw new ProtocolException(
                ErrorCodes.EncoderUnavailable,
                $"This server cannot produce {format.Name}: its audio encoder is not installed ({_status}).");
        }
    }

    /// <summary>
    /// Takes a slot for one encoder process, before the session starts, so that a full gateway refuses (<c>busy</c>)
    /// instead of starting work it cannot encode; null when every slot is taken. The caller disposes the slot, or
    /// hands it to <see cref="Start"/>.
    /// </summary>
    /// <exception cref="ProtocolException"><c>encoder_unavailable</c> when the format's encoder is missing.</exception>
    public IDisposable? TryReserve(TranscodeRequest request)
    {
        EnsureAvailable(request.Format);
        return _slots.Wait(0) ? new Slot(_slots) : null;
    }

    /// <summary>Starts the encoder process for <paramref name="request"/>, its output going to <paramref name="sink"/>; the encoder owns <paramref name="slot"/>.</summary>
    /// <exception cref="AudioEncoderException">ffmpeg could not be started.</exception>
    public StreamingEncoder Start(TranscodeRequest request, IDisposable slot, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink)
    {
        IEncoderProcess process;
        try
        {
            process = FfmpegProcess.Start(options.Value.FfmpegPath, FfmpegArguments.For(request));
        }
        catch (Exception exception) when (exception is Win32Exception or InvalidOperationException)
        {
            slot.Dispose();
            throw new AudioEncoderException($"The audio encoder could not be started: {exception.Message}", exception);
        }

        return StreamingEncoder.Start(process, sink, slot);
    }

    private void Unavailable(string reason)
    {
        _encoders = new HashSet<string>();
        _status = "unavailable: " + reason;
        GatewayLog.EncoderUnavailable(logger, reason);
    }

    /// <summary>Returns its slot once, however often it is disposed.</summary>
    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
