using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;
using Sawt.Grains.Voices;
using Sawt.Inference.Audio;
using Sawt.Inference.Voices;
using StackExchange.Redis;

namespace Sawt.Grains.Tests;

/// <summary>
/// The voice store over a real Redis: a voice is computed once in the cluster and then served from memory or Redis on
/// every silo, even after every silo restarts; refused entries are recomputed and rewritten; an outage costs no
/// synthesis, is counted once, and ends by itself when Redis returns.
/// </summary>
[Trait("Category", "Redis")]
public sealed class VoiceStoreTests(RedisClusterFixture fixture) : IClassFixture<RedisClusterFixture>
{
    private const string Text = "A stored voice speaks.";
    private const int OutageWarning = 2100;
    private const int RecoveredInfo = 2101;
    private const int RejectedWarning = 2102;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enroll_ComputedOnce_ThenEverySiloSpeaksItFromMemoryOrRedisWithoutRecomputing()
    {
        var (voice, revision) = await EnrollAsync(440);
        var (bundle, workers) = await WorkersAsync();
        var encodings = fixture.Sum(i => i.EncodingCount);

        var first = await SpeakOnEverySiloAsync(workers, voice, revision);
        fixture.ClearMemory();
        await fixture.Client.GetGrain<ISpeakerGrain>(voice).Cast<IGrainManagementExtension>().DeactivateOnIdle(Token);
        var redisHits = fixture.Sum(i => i.RedisHits);
        var again = await SpeakOnEverySiloAsync(workers, voice, revision);

        Assert.Equal(encodings, fixture.Sum(i => i.EncodingCount));
        Assert.True(fixture.Sum(i => i.RedisHits) > redisHits, "after the memory layers were emptied, the voice came from Redis");

        // The same numbers through the workers, as a test of separate processes reads them.
        var stats = await Task.WhenAll(workers.Select(w => fixture.Client.GetGrain<IT3WorkerGrain>(w).GetVoiceStoreStats()));
        Assert.Equal(fixture.Cluster.Silos.Count, stats.Select(s => s.Silo).Distinct().Count());
        Assert.Equal(encodings, stats.Sum(s => s.Encodings));
        Assert.Equal(first, again);
        VoiceEntryFormat.Read((byte[])(await fixture.Database.StringGetAsync(fixture.KeyPrefix + bundle + ":" + revision))!);
    }

    [Fact]
    public async Task Enroll_SameAudioAsPcm16AndFloat_OneRevisionOneComputation()
    {
        // PCM16 values, so the float file carries exactly the same audio.
        var samples = Tone(610).Select(s => MathF.Round(s * 32767f) / 32768f).ToArray();
        var (_, revision) = await EnrollAsync(WavWriter.ToBytes(samples, 16_000, WavSampleFormat.Pcm16));
        var encodings = fixture.Sum(i => i.EncodingCount);

        var (_, again) = await EnrollAsync(WavWriter.ToBytes(samples, 16_000, WavSampleFormat.Float32));

        Assert.Equal(revision, again);
        Assert.Equal(encodings, fixture.Sum(i => i.EncodingCount));
    }

    [Fact]
    public async Task GetConditionals_ConcurrentFirstCallersOnEverySilo_OneComputation()
    {
        var (voice, revision) = await EnrollAsync(470);
        var (bundle, workers) = await WorkersAsync();
        await fixture.Database.KeyDeleteAsync(fixture.KeyPrefix + bundle + ":" + revision);
        fixture.ClearMemory();
        var encodings = fixture.Sum(i => i.EncodingCount);

        var speaker = fixture.Client.GetGrain<ISpeakerGrain>(voice);
        var calls = Enumerable.Range(0, 8).Select(i => speaker.GetConditionalsFor(bundle, workers[i % workers.Count]).WaitAsync(Bound, Token))
            .Concat(workers.Select(w => SpeakAsync(w, voice, revision)).Cast<Task>());
        await Task.WhenAll(calls).WaitAsync(Bound, Token);

        Assert.Equal(encodings + 1, fixture.Sum(i => i.EncodingCount));
    }

    public static TheoryData<string, string> BadEntries => new()
    {
        { "truncated", nameof(VoiceEntryRejection.Truncated) },
        { "flipped", nameof(VoiceEntryRejection.ChecksumMismatch) },
        { "magic", nameof(VoiceEntryRejection.WrongMagic) },
        { "older-version", nameof(VoiceEntryRejection.UnsupportedVersion) },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task StoredEntry_Bad_RefusedWithItsReasonRecomputedAndRewritten(string damage, string reason)
    {
        var (voice, revision) = await EnrollAsync(500 + damage.Length);
        var (bundle, workers) = await WorkersAsync();
        var key = fixture.KeyPrefix + bundle + ":" + revision;
        var good = (byte[])(await fixture.Database.StringGetAsync(key))!;
        var expected = VoiceEntryFormat.Read(good);
        byte[] bad = damage switch
        {
            "truncated" => good[..(good.Length / 2)],
            "flipped" => Flip(good, VoiceEntryFormat.HeaderSize + 7),
            "magic" => [.. "JUNK"u8, .. good[4..]],
            _ => VoiceEntryFormat.Write(expected, version: VoiceEntryFormat.CurrentVersion - 1),
        };
        await fixture.Database.StringSetAsync(key, bad);
        fixture.ClearMemory();
        var encodings = fixture.Sum(i => i.EncodingCount);
        using var rejected = new RejectionListener();
        var warned = fixture.Logs.WithEventId(RejectedWarning).Count;

        var served = await fixture.Client.GetGrain<ISpeakerGrain>(voice).GetConditionalsFor(bundle, workers[0]).WaitAsync(Bound, Token);

        Assert.Equal(encodings + 1, fixture.Sum(i => i.EncodingCount));
        Assert.Equal([reason], rejected.Reasons);
        var warning = Assert.Single(fixture.Logs.WithEventId(RejectedWarning).Skip(warned));
        Assert.Contains(key, warning.Message, StringComparison.Ordinal);
        Assert.Contains(reason, warning.Message, StringComparison.Ordinal);
        Assert.Equal(expected.AudioFeatures, served.Conditionals.AudioFeatures);
        var rewritten = VoiceEntryFormat.Read((byte[])(await fixture.Database.StringGetAsync(key))!);
        Assert.Equal(expected.SpeakerFeatures, rewritten.SpeakerFeatures);
    }

    [Fact]
    public async Task Redis_StoppedThenBack_SynthesisGoesOnOutageCountedOncePerSiloStoreUsedAgain()
    {
        var (voice, revision) = await EnrollAsync(530);
        var (other, otherRevision) = await EnrollAsync(560);
        var (bundle, workers) = await WorkersAsync();
        var expected = await SpeakOnEverySiloAsync(workers, voice, revision);
        var outages = fixture.Instruments.Select(i => i.OutageCount).ToList();
        var warned = fixture.Logs.WithEventId(OutageWarning).Count;
        var recovered = fixture.Logs.WithEventId(RecoveredInfo).Count;

        await fixture.Redis.StopAsync();
        try
        {
            // Speaker grains stay active (their state is in Redis too); their silos' memory is gone, as after a restart.
            for (var round = 0; round < 3; round++)
            {
                fixture.ClearMemory();
                Assert.Equal(expected, await SpeakOnEverySiloAsync(workers, voice, revision));
                Assert.NotEmpty(await SpeakAsync(workers[0], other, otherRevision));
            }

            var now = fixture.Instruments.Select(i => i.OutageCount).ToList();
            Assert.True(now.Zip(outages).All(p => p.First - p.Second <= 1), $"outages per silo {string.Join(", ", now)} from {string.Join(", ", outages)}: at most one each");
            Assert.True(now.Sum() > outages.Sum(), "the outage was counted");

            // Logged once per silo that met it, at Warning, saying what to do.
            var warnings = fixture.Logs.WithEventId(OutageWarning).Skip(warned).ToList();
            Assert.Equal(now.Sum() - outages.Sum(), warnings.Count);
            Assert.All(warnings, w => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, w.Level));
            Assert.Contains("Bring Redis back", warnings[0].Message, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Redis.StartAgainAsync(Token);
        }

        // Back (empty, as a restarted cache): within a bound the store is written and read again, without a restart.
        var redisHits = fixture.Sum(i => i.RedisHits);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Token);
        bound.CancelAfter(Bound);
        while (fixture.Sum(i => i.RedisHits) == redisHits)
        {
            fixture.ClearMemory();
            await fixture.Client.GetGrain<ISpeakerGrain>(voice).GetConditionalsFor(bundle, workers[0]).WaitAsync(bound.Token);
            await Task.Delay(100, bound.Token);
        }

        Assert.True(await fixture.Database.KeyExistsAsync(fixture.KeyPrefix + bundle + ":" + revision));
        Assert.True(fixture.Logs.WithEventId(RecoveredInfo).Count > recovered, "the end of the outage was logged");
    }

    [Fact]
    public async Task EverySilo_Restarted_VoiceSpokenFromRedisWithoutRecomputation()
    {
        var (voice, revision) = await EnrollAsync(590);
        var (_, workers) = await WorkersAsync();
        var expected = await SpeakOnEverySiloAsync(workers, voice, revision);

        foreach (var silo in fixture.Cluster.Silos.ToList())
        {
            await fixture.Cluster.RestartSiloAsync(silo).WaitAsync(Bound, Token);
        }

        await fixture.WaitForWorkersAsync().WaitAsync(Bound, Token);
        var (_, restarted) = await WorkersAsync();
        Assert.Empty(restarted.Intersect(workers));

        Assert.Equal(expected, await SpeakOnEverySiloAsync(restarted, voice, revision));
        Assert.Equal(0, fixture.Sum(i => i.EncodingCount));
        Assert.True(fixture.Sum(i => i.RedisHits) >= 1);
    }

    [Fact]
    public async Task Voice_ReplacedThenDeleted_EverySilosMemoryLetsGoOfIt()
    {
        var (voice, old) = await EnrollAsync(620);
        var (bundle, workers) = await WorkersAsync();
        await SpeakOnEverySiloAsync(workers, voice, old);
        Assert.All(Memories(), m => Assert.True(m.TryGet(bundle, old, out _), "every silo spoke the voice, so every silo's memory holds it"));

        var replaced = await fixture.Client.GetGrain<ISpeakerGrain>(voice).Enroll(WavWriter.ToBytes(Tone(650), 16_000, WavSampleFormat.Pcm16)).WaitAsync(Bound, Token);
        Assert.NotEqual(old, replaced);
        Assert.All(Memories(), m => Assert.False(m.TryGet(bundle, old, out _), "a replaced voice's old conditionals left every silo"));

        await SpeakOnEverySiloAsync(workers, voice, replaced);
        Assert.True(await fixture.Client.GetGrain<ISpeakerGrain>(voice).Delete().WaitAsync(Bound, Token));
        Assert.All(Memories(), m => Assert.False(m.TryGet(bundle, replaced, out _), "a deleted voice's conditionals left every silo"));
    }

    private IEnumerable<VoiceMemoryCache> Memories() => fixture.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<VoiceMemoryCache>());

    private Task<(string Voice, string Revision)> EnrollAsync(double hz) =>
        EnrollAsync(WavWriter.ToBytes(Tone(hz), 16_000, WavSampleFormat.Pcm16));

    private async Task<(string Voice, string Revision)> EnrollAsync(byte[] wav)
    {
        var voice = "stored-" + Guid.NewGuid().ToString("N")[..8];
        var encodings = fixture.Sum(i => i.EncodingCount);
        var revision = await fixture.Client.GetGrain<ISpeakerGrain>(voice).Enroll(wav).WaitAsync(Bound, Token);
        Assert.True(fixture.Sum(i => i.EncodingCount) <= encodings + 1, "an enrolment computes the voice at most once");
        return (voice, revision);
    }

    /// <summary>The bundle identity and every live silo's worker key (T3 and decoder share it).</summary>
    private async Task<(string Bundle, List<string> Workers)> WorkersAsync()
    {
        var silos = fixture.Cluster.Silos.Select(s => s.SiloAddress.Endpoint.ToString()).ToHashSet();
        var workers = (await fixture.Client.GetGrain<IWorkerRegistryGrain>(0).List())
            .Where(w => w.Kind == WorkerKind.T3 && w.Ready && silos.Contains(w.HostSilo)).Select(w => w.WorkerKey).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(silos.Count, workers.Count);
        return (await fixture.Client.GetGrain<IT3WorkerGrain>(workers[0]).GetBundleIdentity(), workers);
    }

    /// <summary>One sentence (seed fixed) generated and decoded by each silo's workers; the audio must be the same everywhere.</summary>
    private async Task<byte[]> SpeakOnEverySiloAsync(IReadOnlyList<string> workers, string voice, string revision)
    {
        byte[]? audio = null;
        foreach (var worker in workers)
        {
            var decoded = await SpeakAsync(worker, voice, revision);
            Assert.True(audio is null || audio.AsSpan().SequenceEqual(decoded), $"{worker} speaks otherwise than {workers[0]}");
            audio ??= decoded;
        }

        return audio!;
    }

    private async Task<byte[]> SpeakAsync(string worker, string voice, string revision)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Token);
        bound.CancelAfter(Bound);
        var tokens = new List<long>();
        await foreach (var batch in fixture.Client.GetGrain<IT3WorkerGrain>(worker).Generate(new T3Job(Text, "en", voice, new SamplingSettings { Seed = 5 }, revision), bound.Token))
        {
            tokens.AddRange(batch.Tokens);
        }

        return await fixture.Client.GetGrain<IDecoderWorkerGrain>(worker).Decode(new DecodeJob(voice, [.. tokens], revision), bound.Token).WaitAsync(bound.Token);
    }

    private static byte[] Flip(byte[] entry, int index)
    {
        var copy = entry.ToArray();
        copy[index] ^= 0x10;
        return copy;
    }

    /// <summary>Two seconds of a tone at 16 kHz.</summary>
    private static float[] Tone(double hz)
    {
        var samples = new float[32_000];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(0.3 * Math.Sin(2 * Math.PI * hz * i / 16_000));
        }

        return samples;
    }

    /// <summary>The reasons on <c>sawt.voice.store.rejected_entries</c> while it listens (the meter, as an exporter sees it).</summary>
    private sealed class RejectionListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<string> _reasons = new();

        public RejectionListener()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == VoiceInstruments.MeterName && instrument.Name == VoiceInstruments.RejectedEntries)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "reason")
                    {
                        _reasons.Enqueue((string)tag.Value!);
                    }
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<string> Reasons => [.. _reasons];

        public void Dispose() => _listener.Dispose();
    }
}
