using Sawt.Gateway.Audio;

namespace Sawt.Gateway.Tests.Audio;

/// <summary>The streaming encoder wrapper over a scripted process: incremental feeding, completion, kill and reap.</summary>
[Trait("Category", "Unit")]
public sealed class StreamingEncoderTests
{
    // A bound on waiting for the pump, not a timing assumption: the echo process answers as soon as it is written.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WriteAsync_EachChunkReachesTheSinkBeforeTheNextIsWritten()
    {
        var process = new EchoEncoderProcess();
        var sink = new RecordingSink();
        await using var encoder = StreamingEncoder.Start(process, sink.WriteAsync);
        var first = Pattern(1000, seed: 1);
        var second = Pattern(3000, seed: 2);

        await encoder.WriteAsync(first, Ct);
        Assert.Equal(first, await sink.ReceiveAsync(first.Length, Bound, Ct));

        await encoder.WriteAsync(second, Ct);
        Assert.Equal(second, await sink.ReceiveAsync(second.Length, Bound, Ct));

        await encoder.CompleteAsync(Ct);
        Assert.Equal([.. first, .. second], sink.All);
        Assert.Equal(4000, encoder.BytesIn);
        Assert.Equal(4000, encoder.BytesOut);
        Assert.Equal(0, process.KillCount);
    }

    [Fact]
    public async Task DisposeAsync_BeforeComplete_KillsReapsAndReleasesTheSlot()
    {
        var process = new EchoEncoderProcess();
        var sink = new RecordingSink();
        var slot = new CountingSlot();
        var encoder = StreamingEncoder.Start(process, sink.WriteAsync, slot);
        await encoder.WriteAsync(Pattern(100, seed: 3), Ct);

        await encoder.DisposeAsync().AsTask().WaitAsync(Bound, Ct);

        Assert.Equal(1, process.KillCount);
        Assert.True(process.HasExited);
        Assert.True(process.Disposed);
        Assert.Equal(1, slot.Releases);
    }

    [Fact]
    public async Task CompleteAsync_EncoderExitsWithAnError_ThrowsWithItsMessage()
    {
        var process = new EchoEncoderProcess(exitCode: 1, errorOutput: "Unknown encoder 'nothing'");
        var slot = new CountingSlot();
        var encoder = StreamingEncoder.Start(process, new RecordingSink().WriteAsync, slot);
        await encoder.WriteAsync(Pattern(10, seed: 4), Ct);

        var failure = await Assert.ThrowsAsync<AudioEncoderException>(() => encoder.CompleteAsync(Ct));
        Assert.Contains("code 1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown encoder", failure.Message, StringComparison.Ordinal);

        await encoder.DisposeAsync();
        Assert.Equal(0, process.KillCount);
        Assert.Equal(1, slot.Releases);
    }

    [Fact]
    public async Task WriteAsync_SinkFailed_SurfacesTheSinksFailure()
    {
        var process = new EchoEncoderProcess();
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var encoder = StreamingEncoder.Start(process, (_, _) =>
        {
            failed.TrySetResult();
            throw new IOException("client gone");
        });
        await encoder.WriteAsync(Pattern(10, seed: 5), Ct);
        await failed.Task.WaitAsync(Bound, Ct);

        // The pump has failed (or is failing): completion reports the sink's failure instead of hiding it.
        await Assert.ThrowsAsync<IOException>(() => encoder.CompleteAsync(Ct).WaitAsync(Bound, Ct));
    }

    private static byte[] Pattern(int length, int seed) =>
        Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed)).ToArray();

    private sealed class CountingSlot : IDisposable
    {
        public int Releases { get; private set; }

        public void Dispose() => Releases++;
    }
}
