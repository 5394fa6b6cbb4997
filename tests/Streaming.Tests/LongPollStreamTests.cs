using System.Threading.Channels;
using Orleans.Streams;

namespace Sawt.Streaming.Tests;

/// <summary>The provider on a real two-silo cluster: events published by a client reach a client subscriber.</summary>
[Trait("Category", "Cluster")]
public sealed class LongPollStreamTests(LongPollClusterFixture fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManyStreams_EveryEventArrivesOnceInOrder()
    {
        const int streams = 24, events = 40;
        var received = new Channel<int>[streams];
        var handles = new List<StreamSubscriptionHandle<int>>();
        var ids = Enumerable.Range(0, streams).Select(_ => Guid.NewGuid()).ToArray();
        for (var s = 0; s < streams; s++)
        {
            var channel = received[s] = Channel.CreateUnbounded<int>();
            handles.Add(await Stream<int>(ids[s]).SubscribeAsync((item, _) => channel.Writer.WriteAsync(item, Token).AsTask()));
        }

        await Task.WhenAll(Enumerable.Range(0, streams).Select(async s =>
        {
            for (var i = 0; i < events; i++)
            {
                await Stream<int>(ids[s]).OnNextAsync(i);
            }
        }));

        for (var s = 0; s < streams; s++)
        {
            var got = new List<int>();
            while (got.Count < events)
            {
                got.Add(await received[s].Reader.ReadAsync(Token).AsTask().WaitAsync(Bound, Token));
            }

            Assert.Equal(Enumerable.Range(0, events), got);
        }

        foreach (var handle in handles)
        {
            await handle.UnsubscribeAsync();
        }
    }

    [Fact]
    public async Task DeliveredEvents_NotRetained_HeapBackNearBaseline()
    {
        // 64 MiB of payload through one stream; Orleans' memory streams would keep it in their cache for minutes. One
        // event in flight at a time, so what remains is what the provider keeps, not the peak that buffer pools keep.
        const int payloadBytes = 256 * 1024, events = 256;
        var id = Guid.NewGuid();
        var arrivals = Channel.CreateUnbounded<int>();
        var handle = await Stream<byte[]>(id).SubscribeAsync((item, _) => arrivals.Writer.WriteAsync(item.Length, Token).AsTask());

        // Warm up the path (first delivery registers the stream), then take the baseline.
        await Stream<byte[]>(id).OnNextAsync(new byte[16]);
        await arrivals.Reader.ReadAsync(Token).AsTask().WaitAsync(Bound, Token);
        var baseline = Heap();

        for (var i = 0; i < events; i++)
        {
            await Stream<byte[]>(id).OnNextAsync(new byte[payloadBytes]);
            Assert.Equal(payloadBytes, await arrivals.Reader.ReadAsync(Token).AsTask().WaitAsync(Bound, Token));
        }

        // Two more events, each awaited: the read that fetches the second purges everything the subscriber has passed.
        for (var marker = 0; marker < 2; marker++)
        {
            await Stream<byte[]>(id).OnNextAsync(new byte[16]);
            await arrivals.Reader.ReadAsync(Token).AsTask().WaitAsync(Bound, Token);
        }

        var retained = Heap() - baseline;
        await handle.UnsubscribeAsync();
        Assert.True(retained < 16L * 1024 * 1024, $"{retained / 1048576.0:0.0} MiB of {events * (long)payloadBytes / 1048576} MiB published is still on the heap");
    }

    [Fact]
    public async Task Publish_NoSubscriberYet_SubscriberThenGetsNewEventsInOrder()
    {
        var id = Guid.NewGuid();
        for (var i = 0; i < 50; i++)
        {
            await Stream<int>(id).OnNextAsync(i);
        }

        // Events from before the subscription may or may not still be delivered (they are being registered); what
        // follows the subscription must arrive, in order, once.
        var arrivals = Channel.CreateUnbounded<int>();
        var handle = await Stream<int>(id).SubscribeAsync((item, _) => arrivals.Writer.WriteAsync(item, Token).AsTask());
        await Stream<int>(id).OnNextAsync(1000);
        var seen = new List<int>();
        do
        {
            seen.Add(await arrivals.Reader.ReadAsync(Token).AsTask().WaitAsync(Bound, Token));
        }
        while (seen[^1] != 1000);

        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        await handle.UnsubscribeAsync();
    }

    private IAsyncStream<T> Stream<T>(Guid id) =>
        fixture.Client.GetStreamProvider(LongPollClusterFixture.Provider).GetStream<T>(StreamId.Create("test", id));

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
