using Orleans.Streams;
using Sawt.Contracts;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Workers;
using Sawt.Inference;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;

namespace Sawt.Grains.Tests;

[Trait("Category", "Cluster")]
public sealed class SessionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Workers_EachSiloHostsItsOwnT3AndDecoder()
    {
        var workers = await fixture.Client.GetGrain<IWorkerRegistryGrain>(0).List();
        Assert.Equal(2 * ClusterFixture.SiloCount, workers.Count);
        foreach (var worker in workers)
        {
            Assert.True(WorkerKeys.TryParse(worker.WorkerKey, out var endpoint, out var device));
            Assert.Equal(endpoint, worker.HostSilo);
            Assert.Equal("cpu", device);
        }

        var silos = fixture.Cluster.Silos.Select(s => s.SiloAddress.Endpoint.ToString()).ToHashSet();
        Assert.Equal(silos, workers.Select(w => w.HostSilo).ToHashSet());
    }

    [Fact]
    public async Task Sessions_Several_AllCompleteWithOrderedChunks()
    {
        var runs = Enumerable.Range(0, 6).Select(i => Run(new SessionStart { Text = $"Session number {i} speaks. Then it stops.", Language = "en", Sampling = new() { Seed = (ulong)i } })).ToList();
        foreach (var events in await Task.WhenAll(runs))
        {
            AssertCompleted(events);
        }
    }

    [Fact]
    public async Task Session_FixedSeed_SameAudioAsTheEngineDirectly()
    {
        const string text = "مرحبا بكم في سوت. هذه جملة ثانية.";
        var events = await Run(new SessionStart { Text = text, Language = "ar", Sampling = new() { Seed = 77 } });
        AssertCompleted(events);
        var clusterAudio = events.OfType<AudioChunkEvent>().SelectMany(c => Floats(c.Data)).ToArray();

        await using var engine = TtsEngine.Load(fixture.BundleDirectory, new TtsEngineOptions { Bundle = new BundleOptions { ExecutionProvider = ExecutionProviderChoice.Cpu } });
        var direct = new List<float>();
        await foreach (var chunk in engine.StreamAsync(new StreamingRequest(text, "ar", Sampling: new SamplingOptions { Seed = 77 }), TestContext.Current.CancellationToken))
        {
            direct.AddRange(chunk.Samples);
        }

        Assert.Equal(direct.Count, clusterAudio.Length);
        Assert.Equal(direct, clusterAudio);
    }

    [Fact]
    public async Task Session_Incremental_SpeaksPiecesInOrder()
    {
        var id = Guid.NewGuid();
        var session = fixture.Client.GetGrain<ITtsSessionGrain>(id);
        var collector = await Subscribe(id);
        await session.Start(new SessionStart { Language = "en", Incremental = true, Sampling = new() { Seed = 5 } });
        foreach (var piece in new[] { "Hello th", "ere, my fri", "end. How are", " you today?" })
        {
            await session.AppendText(piece);
        }

        await session.Complete();
        var events = await collector.Completion;
        AssertCompleted(events);
        Assert.True(events.OfType<AudioChunkEvent>().Select(c => c.SegmentIndex).Where(s => s >= 0).Distinct().Count() >= 2);
    }

    [Fact]
    public async Task Session_Cancelled_FailsWithCancelledAndWorkersIdle()
    {
        var id = Guid.NewGuid();
        var session = fixture.Client.GetGrain<ITtsSessionGrain>(id);
        var collector = await Subscribe(id, stopAfterFirstAudio: () => session.Cancel());
        await session.Start(new SessionStart { Text = string.Join(' ', Enumerable.Repeat("This is a long sentence that keeps going.", 4)), Language = "en", Sampling = new() { Seed = 3 } });
        var events = await collector.Completion;
        var failed = Assert.IsType<SessionFailed>(events[^1]);
        Assert.Equal("cancelled", failed.Code);
        var registry = fixture.Client.GetGrain<IWorkerRegistryGrain>(0);
        for (var i = 0; i < 100 && (await registry.List()).Any(w => w.Kind == WorkerKind.T3 && w.Active > 0); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.DoesNotContain(await registry.List(), w => w.Kind == WorkerKind.T3 && w.Active > 0);
    }

    [Fact]
    public async Task Session_PastItsDeadline_FailsWithDeadlineExceeded()
    {
        var events = await Run(new SessionStart
        {
            Text = string.Join(' ', Enumerable.Repeat("A long text that cannot finish within a few milliseconds.", 5)),
            Language = "en",
            Deadline = DateTimeOffset.UtcNow.AddMilliseconds(150),
        });
        var failed = Assert.IsType<SessionFailed>(events[^1]);
        Assert.Equal("deadline_exceeded", failed.Code);
    }

    [Theory]
    [InlineData("xx", "hello", "default", "pcm_f32le", "unsupported_language")]
    [InlineData("en", "   ", "default", "pcm_f32le", "empty_text")]
    [InlineData("en", "hello", "nobody", "pcm_f32le", "unknown_voice")]
    [InlineData("en", "hello", "default", "mp3", "invalid_options")]
    [InlineData("en", "noncharacter \ufffe here", "default", "pcm_f32le", "invalid_text")]
    [InlineData("en", "nul \u0000 here", "default", "pcm_f32le", "invalid_text")]
    public async Task Start_BadInput_RejectedWithStableCode(string language, string text, string voice, string encoding, string code)
    {
        var session = fixture.Client.GetGrain<ITtsSessionGrain>(Guid.NewGuid());
        var error = await Assert.ThrowsAsync<SessionRejectedException>(() =>
            session.Start(new SessionStart { Text = text, Language = language, VoiceId = voice, Output = new() { Encoding = encoding } }));
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public async Task Incremental_BadText_RefusedWithInvalidTextAndTheSessionGoesOn()
    {
        var id = Guid.NewGuid();
        var session = fixture.Client.GetGrain<ITtsSessionGrain>(id);
        var collector = await Subscribe(id);
        await session.Start(new SessionStart { Language = "en", Incremental = true, Sampling = new() { Seed = 5 } });

        // Lone surrogates never reach a grain: Orleans carries strings as UTF-8, which replaces them (the gateway
        // refuses them before that). Non-characters do arrive, and are refused.
        Assert.Equal("invalid_text", (await Assert.ThrowsAsync<SessionRejectedException>(() => session.AppendText("a non-character \uffff here"))).Code);
        await session.AppendText("Fine text.");
        await session.Complete();
        var events = await collector.Completion.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        AssertCompleted(events);
    }

    [Fact]
    public async Task Session_MuLawOutput_EncodedAt8kHz()
    {
        var events = await Run(new SessionStart { Text = "Telephone audio.", Language = "en", Output = new() { Encoding = "mulaw" }, Sampling = new() { Seed = 2 } });
        AssertCompleted(events);
        var chunks = events.OfType<AudioChunkEvent>().ToList();
        Assert.All(chunks, c => Assert.Equal(8000, c.SampleRate));
        var totalMs = chunks.Sum(c => c.DurationMilliseconds);
        Assert.InRange(chunks.Sum(c => c.Data.Length), (totalMs * 8) - 2, (totalMs * 8) + 2);
    }

    private async Task<List<SessionEvent>> Run(SessionStart start)
    {
        var id = Guid.NewGuid();
        var collector = await Subscribe(id);
        await fixture.Client.GetGrain<ITtsSessionGrain>(id).Start(start);
        return await collector.Completion.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    private Task<SessionEvents> Subscribe(Guid id, Func<Task>? stopAfterFirstAudio = null) =>
        SessionEvents.SubscribeAsync(fixture.Client, id, stopAfterFirstAudio);

    private static void AssertCompleted(List<SessionEvent> events)
    {
        Assert.IsType<SessionStarted>(events[0]);
        Assert.True(events[^1] is SessionCompleted, events[^1] is SessionFailed f ? $"{f.Code}: {f.Message}" : events[^1].GetType().Name);
        var chunks = events.OfType<AudioChunkEvent>().ToList();
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Sequence));
        Assert.True(chunks[^1].IsFinal);
        Assert.All(chunks[..^1], c => Assert.False(c.IsFinal));
        Assert.True(chunks.Sum(c => c.Data.Length) > 0);
    }

    private static float[] Floats(byte[] data)
    {
        var samples = new float[data.Length / 4];
        Buffer.BlockCopy(data, 0, samples, 0, data.Length);
        return samples;
    }
}
