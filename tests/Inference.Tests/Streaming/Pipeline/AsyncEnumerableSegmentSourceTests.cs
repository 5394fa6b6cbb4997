using System.Threading.Channels;
using Sawt.Inference.Streaming;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Tests.Streaming.Pipeline;

[Trait("Category", "Unit")]
public sealed class AsyncEnumerableSegmentSourceTests
{
    private const int TestTimeout = 30_000;

    [Fact(Timeout = TestTimeout)]
    public async Task TryRead_WholeText_EverySegmentOnceThenCompleted()
    {
        SpeechSegment[] segments = [ScriptedSegments.Make("A"), ScriptedSegments.Make("B")];
        await using var source = new AsyncEnumerableSegmentSource(segments.ToAsyncEnumerable(), TestContext.Current.CancellationToken);

        Assert.False(source.IsCompleted); // asking must not consume "A"
        Assert.True(source.TryRead(out var first));
        Assert.True(source.TryRead(out var second));
        Assert.False(source.TryRead(out _));
        Assert.True(source.IsCompleted);
        Assert.False(await source.WaitToReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(segments, new[] { first, second });
    }

    [Fact(Timeout = TestTimeout)]
    public async Task WaitToReadAsync_SegmentArrivesAfterAProbe_ItIsReadNotLost()
    {
        var channel = Channel.CreateUnbounded<SpeechSegment>();
        await using var source = new AsyncEnumerableSegmentSource(channel.Reader.ReadAllAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        Assert.False(source.TryRead(out _));
        Assert.False(source.IsCompleted);
        var waiting = source.WaitToReadAsync(TestContext.Current.CancellationToken);
        channel.Writer.TryWrite(ScriptedSegments.Make("A"));
        channel.Writer.TryComplete();

        Assert.True(await waiting);
        Assert.True(source.TryRead(out var arrived));
        Assert.Equal("A", arrived.Text);
        Assert.False(await source.WaitToReadAsync(TestContext.Current.CancellationToken));
        Assert.True(source.IsCompleted);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task DisposeAsync_WhileAMoveWaitsForText_CancelsItAndDisposesOnlyAfterItEnded()
    {
        var segments = new ParkedSegments();
        var source = new AsyncEnumerableSegmentSource(segments, TestContext.Current.CancellationToken);
        Assert.False(source.TryRead(out _)); // starts a move that waits for text

        var disposing = source.DisposeAsync().AsTask();
        Assert.True(segments.Token.IsCancellationRequested);
        Assert.False(segments.Disposed);

        segments.EndTheWait();
        await disposing;
        Assert.True(segments.Disposed);
        Assert.False(segments.DisposedWhileMoving);
    }
}
