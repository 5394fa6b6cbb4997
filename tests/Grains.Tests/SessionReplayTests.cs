using Orleans.Streams;
using Sawt.Contracts;
using Sawt.Contracts.Sessions;

namespace Sawt.Grains.Tests;

/// <summary>
/// A session answers a replay with what it published (<see cref="ITtsSessionGrain.Replay"/>), also after its end,
/// until its subscriber acknowledged that end; then it leaves.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class SessionReplayTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replay_AfterTheEnd_EveryChunkAsPublishedThenTheEnd_UntilTheEndIsAcknowledged()
    {
        var id = Guid.NewGuid();
        var heard = await SessionEvents.SubscribeAsync(fixture.Client, id);
        var session = fixture.Client.GetGrain<ITtsSessionGrain>(id);
        await session.Start(new SessionStart { Text = "Say it once. Then say it again.", Language = "en", Sampling = new() { Seed = 7 } });
        var streamed = await heard.Completion.WaitAsync(Bound, Token);
        var chunks = streamed.OfType<AudioChunkEvent>().ToList();
        Assert.True(chunks.Count >= 3, $"{chunks.Count} chunks");
        Assert.IsType<SessionCompleted>(streamed[^1]);

        // Nothing was acknowledged: the whole utterance is still there, byte for byte, then its end.
        var whole = await session.Replay(0, TimeSpan.Zero).WaitAsync(Bound, Token);
        Assert.True(whole.Whole);
        var replayed = whole.Events.OfType<AudioChunkEvent>().ToList();
        Assert.Equal(chunks.Select(c => c.Sequence), replayed.Select(c => c.Sequence));
        Assert.All(chunks.Zip(replayed), pair => Assert.Equal(pair.First.Data, pair.Second.Data));
        Assert.IsType<SessionCompleted>(whole.Events[^1]);

        // From a later chunk: that one on.
        var rest = await session.Replay(2, TimeSpan.Zero).WaitAsync(Bound, Token);
        Assert.Equal(Enumerable.Range(2, chunks.Count - 2), rest.Events.OfType<AudioChunkEvent>().Select(c => c.Sequence));

        // A probe after the end: its answer says what the session published before it, every chunk and the end.
        var answered = new TaskCompletionSource<SessionProbed>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = fixture.Client.GetStreamProvider(StreamNames.Provider).GetStream<SessionEvent>(StreamId.Create(StreamNames.SessionNamespace, id));
        var probing = await stream.SubscribeAsync((item, _) =>
        {
            if (item is SessionProbed answer)
            {
                answered.TrySetResult(answer);
            }

            return Task.CompletedTask;
        });
        await session.Probe(5).WaitAsync(Bound, Token);
        var probed = await answered.Task.WaitAsync(Bound, Token);
        await probing.UnsubscribeAsync();
        Assert.Equal((5L, chunks.Count, true), (probed.Probe, probed.Chunks, probed.Ended));

        // The end acknowledged: the session leaves, and a replay then meets a session the cluster no longer has.
        await session.Acknowledge(chunks.Count, ended: true);
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, "the session stayed after its end was acknowledged");
            try
            {
                await session.Replay(chunks.Count, TimeSpan.Zero).WaitAsync(Bound, Token);
            }
            catch (SessionRejectedException gone)
            {
                Assert.Equal("unavailable", gone.Code);
                Assert.True(gone.Retryable);
                break;
            }

            await Task.Delay(100, Token);
        }
    }
}
