using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sawt.Gateway.Audio;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests.Audio;

/// <summary>The gateway's ffmpeg (the real program): the start-up probe, the bound on processes, kill and reap.</summary>
[Trait("Category", "Gateway")]
public sealed class AudioEncodersTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Probe_FindsTheEncoderOfEveryFormat()
    {
        var encoders = await ProbedAsync(maxProcesses: 4);
        Assert.Equal("ffmpeg", encoders.Status);
        foreach (var format in TranscodedFormats.Containers)
        {
            encoders.EnsureAvailable(format);
        }
    }

    [Fact]
    public async Task DisposeMidStream_KillsAndReapsFfmpeg_AndFreesItsSlot()
    {
        var encoders = await ProbedAsync(maxProcesses: 1);
        var request = new TranscodeRequest(TranscodedFormats.Mp3, 24000, 1.0);
        var slot = encoders.TryReserve(request);
        Assert.NotNull(slot);
        Assert.Null(encoders.TryReserve(request));

        var sink = new RecordingSink();
        var encoder = encoders.Start(request, slot, sink.WriteAsync);

        // Two seconds of PCM, then nothing more and no end of input: ffmpeg waits on its stdin until it is killed.
        await encoder.WriteAsync(new byte[2 * 24000 * 2], Ct);
        await sink.ReceiveAsync(1, Bound, Ct);
        await encoder.DisposeAsync().AsTask().WaitAsync(Bound, Ct);

        Assert.True(encoder.Reaped);
        using var again = encoders.TryReserve(request);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task CompleteAsync_WritesTheWholeStream_ThatNLayerDecodes()
    {
        var encoders = await ProbedAsync(maxProcesses: 1);
        var request = new TranscodeRequest(TranscodedFormats.Mp3, 16000, 1.0);
        var sink = new RecordingSink();
        await using var encoder = encoders.Start(request, encoders.TryReserve(request)!, sink.WriteAsync);
        await encoder.WriteAsync(new byte[16000 * 2], Ct);
        await encoder.CompleteAsync(Ct).WaitAsync(Bound, Ct);

        var (rate, _, samples) = IndependentDecoders.Mp3(sink.All);
        Assert.Equal(16000, rate);
        Assert.InRange(samples, 16000, 16000 + 576 + 1105);
        Assert.True(encoder.BytesOut > 0);
    }

    private static async Task<AudioEncoders> ProbedAsync(int maxProcesses)
    {
        var encoders = new AudioEncoders(Options.Create(new GatewayOptions { MaxEncoderProcesses = maxProcesses }), NullLogger<AudioEncoders>.Instance);
        await encoders.ProbeAsync(Ct);
        return encoders;
    }
}
