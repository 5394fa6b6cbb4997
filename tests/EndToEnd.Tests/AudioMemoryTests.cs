namespace Sawt.EndToEnd.Tests;

/// <summary>Runs alone: it measures the process heap, which other tests running beside it would disturb.</summary>
[CollectionDefinition(nameof(HeapMeasurement), DisableParallelization = true)]
public sealed class HeapMeasurement;

/// <summary>
/// Audio that has been delivered is not retained: over 500 MB streamed through the gateway's WebSocket leaves the
/// managed heap, after a full collection, within 50 MB of where it started.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(nameof(HeapMeasurement))]
public sealed class AudioMemoryTests(EmbeddedClusterFixture cluster)
{
    private const long MinimumBytes = 500L * 1024 * 1024;
    private const long HeapBound = 50L * 1024 * 1024;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FiveHundredMegabytesStreamed_HeapBackWithinFiftyMegabytes()
    {
        // Warm every path (JIT, pools, stream queues) before the baseline.
        await StreamAsync(sockets: 1, contextsPerSocket: 1, sentences: 4);
        var baseline = Heap();

        // 48 kHz float32 (192 KB per second) and two-second pauses between short sentences: about 50 MB a context,
        // within the 300 s audio limit, cheap to generate on the tiny bundle.
        long streamed = 0;
        while (streamed < MinimumBytes)
        {
            streamed += await StreamAsync(sockets: 3, contextsPerSocket: 4, sentences: 100);
        }

        var retained = Heap() - baseline;
        TestContext.Current.TestOutputHelper?.WriteLine($"streamed {streamed / 1048576.0:0} MiB; heap {baseline / 1048576.0:0.0} MiB before, {retained / 1048576.0:+0.0;-0.0} MiB after");
        Assert.True(retained < HeapBound, $"{retained / 1048576.0:0.0} MiB of {streamed / 1048576.0:0} MiB streamed is still on the heap");
    }

    /// <summary>Streams contexts to completion, checking each; returns the audio bytes received.</summary>
    private async Task<long> StreamAsync(int sockets, int contextsPerSocket, int sentences)
    {
        var text = string.Join(' ', Enumerable.Repeat("Yes.", sentences));
        var perSocket = await Task.WhenAll(Enumerable.Range(0, sockets).Select(async s =>
        {
            await using var client = await WsTestClient.ConnectAsync(cluster.WebSocketUri(), Token);
            for (var c = 0; c < contextsPerSocket; c++)
            {
                await client.SendAsync(new
                {
                    type = "synthesize",
                    context_id = $"m{c}",
                    text,
                    language = "en",
                    output_format = new { encoding = "pcm_f32le", sample_rate = 48000 },
                    chunking = new { sentence_pause_ms = 2000 },
                    sampling = new { seed = (ulong)((s * 10) + c) },
                }, Token);
            }

            long bytes = 0;
            var done = 0;
            var next = new Dictionary<string, int>();
            while (done < contextsPerSocket)
            {
                var message = await client.ReceiveAsync(Token);
                switch (message.Type)
                {
                    case "audio":
                        var sequence = (int)message.Json["sequence"]!;
                        Assert.Equal(next.GetValueOrDefault(message.ContextId!), sequence);
                        next[message.ContextId!] = sequence + 1;
                        bytes += message.Audio!.Length;
                        break;
                    case "done":
                        done++;
                        break;
                    case "error" or "cancelled":
                        Assert.Fail($"context {message.ContextId} ended with {message.Json.ToJsonString()}");
                        break;
                }
            }

            return bytes;
        }));
        return perSocket.Sum();
    }

    private static long Heap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
