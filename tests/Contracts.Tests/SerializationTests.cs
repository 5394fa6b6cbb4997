using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;

namespace Sawt.Contracts.Tests;

/// <summary>Every record that crosses silos survives Orleans serialization with all its fields.</summary>
[Trait("Category", "Unit")]
public sealed class SerializationTests
{
    private readonly Serializer _serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void SessionStart_RoundTrips()
    {
        var start = new SessionStart
        {
            Text = "مرحبا",
            Language = "ar",
            VoiceId = "alice",
            Sampling = new SamplingSettings { Temperature = 0.7f, Seed = 42, MaxNewTokens = 300, CfgWeight = 0 },
            Chunking = new ChunkingSettings { Schedule = [5, 20], ContextTokens = 8, SentencePauseMilliseconds = 120 },
            Incremental = true,
            Deadline = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero),
            Output = new OutputFormatSettings { Encoding = "opus", SampleRate = 48000 },
            Tenant = "acme",
        };
        var copy = RoundTrip(start);
        Assert.Equal(start with { Chunking = copy.Chunking }, copy);
        Assert.Equal([5, 20], copy.Chunking.Schedule!);
        Assert.Equal(start.Chunking with { Schedule = copy.Chunking.Schedule }, copy.Chunking);
    }

    [Fact]
    public void VoiceInfoAndPage_RoundTrip()
    {
        var voice = new VoiceInfo("anna", "0123456789abcdef", 2.5, 44_100, 2, new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.Zero), "synthetic", ReadOnly: false);
        var page = new VoicePage([voice, new VoiceInfo(VoiceIds.Default, VoiceIds.DefaultRevision, null, null, null, null, "synthetic", ReadOnly: true)], HasMore: true);

        Assert.Equal(voice, RoundTrip(voice));
        var copy = RoundTrip(page);
        Assert.Equal(page.Voices, copy.Voices);
        Assert.True(copy.HasMore);
    }

    [Theory]
    [InlineData("", "anna", "anna")]
    [InlineData("acme", "anna", "acme/anna")]
    [InlineData("acme", "default", "default")]
    public void VoiceKeys_ScopeByTenant_AndParseBack(string tenant, string voice, string key)
    {
        Assert.Equal(key, VoiceKeys.Speaker(tenant, voice));
        Assert.Equal(voice == VoiceIds.Default ? (VoiceKeys.OpenTenant, voice) : (tenant, voice), VoiceKeys.ParseSpeaker(key));
        Assert.NotEqual(VoiceKeys.Catalog(VoiceKeys.OpenTenant), VoiceKeys.Catalog("acme"));
        Assert.False(VoiceKeys.IsValidTenant(VoiceKeys.Catalog(VoiceKeys.OpenTenant)));
    }

    [Fact]
    public void SessionEvents_RoundTripAsTheirBaseType()
    {
        SessionEvent[] events =
        [
            new SessionStarted("a:1/cpu", "a:1/cpu") { AtMilliseconds = 1.5 },
            new AudioChunkEvent(3, [1, 2, 3, 4], "pcm_f32le", 24000, 120, 40, 5, 10, 1, 12, true) { AtMilliseconds = 80 },
            new SessionCompleted(new SessionStats(95, 0.4, 120, 4.8, 6, 2)),
            new SessionFailed("busy", "full", true, 0.5),
        ];
        foreach (var sessionEvent in events)
        {
            var copy = RoundTrip(sessionEvent);
            Assert.Equal(sessionEvent.GetType(), copy.GetType());
            if (sessionEvent is AudioChunkEvent chunk)
            {
                var chunkCopy = (AudioChunkEvent)copy;
                Assert.Equal(chunk.Data, chunkCopy.Data);
                Assert.Equal(chunk with { Data = chunkCopy.Data }, chunkCopy);
            }
            else
            {
                Assert.Equal(sessionEvent, copy);
            }
        }
    }

    [Fact]
    public void SessionReplay_RoundTrips_EventsInOrderAsTheirOwnTypes()
    {
        var end = new SessionCompleted(new SessionStats(95, 0.4, 120, 4.8, 2, 1));
        var replay = new SessionReplay(
            [new AudioChunkEvent(4, [9, 8], "pcm_s16le", 24000, 160, 40, 0, 5, 0, 1, false), new AudioChunkEvent(5, [7], "pcm_s16le", 24000, 200, 40, 0, 5, 0, 1, true), end],
            Whole: true);

        var copy = RoundTrip(replay);

        Assert.True(copy.Whole);
        Assert.Equal([4, 5], copy.Events.OfType<AudioChunkEvent>().Select(c => c.Sequence));
        Assert.Equal([9, 8], ((AudioChunkEvent)copy.Events[0]).Data);
        Assert.Equal(end, copy.Events[^1]);
        Assert.False(RoundTrip(new SessionReplay([], Whole: false)).Whole);
    }

    [Fact]
    public void WorkerRecords_RoundTrip()
    {
        var report = new WorkerLoadReport("127.0.0.1:11111/cuda:0", WorkerKind.T3, 3, 1, 32, 12.5, true, DateTimeOffset.UnixEpoch, "127.0.0.1:11111", Served: 42);
        Assert.Equal(report, RoundTrip(report));
        var batch = RoundTrip(new TokenBatch([1, 2, 3], "EndOfSpeech"));
        Assert.Equal([1L, 2, 3], batch.Tokens);
        Assert.Equal("EndOfSpeech", batch.StopReason);
        var job = RoundTrip(new DecodeJob("v", [7, 8], "rev1"));
        Assert.Equal([7L, 8], job.Tokens);
        Assert.Equal(("v", "rev1"), (job.VoiceId, job.VoiceRevision));
        var t3 = RoundTrip(new T3Job("hi", "en", "v", new SamplingSettings { Seed = 3 }, "rev2"));
        Assert.Equal(("hi", "en", "v", "rev2", 3UL), (t3.Text, t3.Language, t3.VoiceId, t3.VoiceRevision, t3.Sampling.Seed));
    }

    [Fact]
    public void AdmissionFields_RoundTrip()
    {
        var report = new WorkerLoadReport("127.0.0.1:11111/cpu", WorkerKind.Decoder, 1, 0, 4, 8, true, DateTimeOffset.UnixEpoch, "127.0.0.1:11111", FirstChunkMilliseconds: 640.5);
        Assert.Equal(640.5, RoundTrip(report).FirstChunkMilliseconds);
        Assert.True(RoundTrip(new TokenBatch([], null) { Admitted = true }).Admitted);
        Assert.True(RoundTrip(new DecodeJob("v", [7], "rev1", First: true)).First);
        var t3 = RoundTrip(new T3Job("hi", "en", "v", new SamplingSettings(), "rev2", FirstDecodeMilliseconds: 640.5, ReportAdmission: true));
        Assert.Equal((640.5, true), (t3.FirstDecodeMilliseconds, t3.ReportAdmission));
    }

    [Fact]
    public void VoiceConditionals_RoundTrip()
    {
        var payload = new VoiceConditionalsPayload([0.5f, -1f], 33, 64, [1, 2], [0.1f], [0.2f, 0.3f], 2);
        var copy = RoundTrip(payload);
        Assert.Equal(payload.AudioFeatures, copy.AudioFeatures);
        Assert.Equal(payload.PromptTokens, copy.PromptTokens);
        Assert.Equal(payload.SpeakerFeatures, copy.SpeakerFeatures);
        Assert.Equal((33, 64, 2), (copy.ConditioningLength, copy.HiddenSize, copy.FeatureFrames));
        var voice = RoundTrip(new SpeakerVoice("abc123", payload));
        Assert.Equal("abc123", voice.Revision);
        Assert.Equal(payload.SpeakerEmbedding, voice.Conditionals.SpeakerEmbedding);
    }

    [Fact]
    public void VoiceStoreStats_RoundTrips()
    {
        var stats = new VoiceStoreStats("127.0.0.1:11111", 1, 2, 3, 4, 5, 6, 7);
        Assert.Equal(stats, RoundTrip(stats));
    }

    [Fact]
    public void SessionRejectedException_KeepsCodeAndRetryHint()
    {
        var copy = RoundTrip(new SessionRejectedException("busy", "full", retryable: true, retryAfterSeconds: 2));
        Assert.Equal("busy", copy.Code);
        Assert.True(copy.Retryable);
        Assert.Equal(2, copy.RetryAfterSeconds);
        Assert.Equal("full", copy.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:11111/cuda:0", "127.0.0.1:11111", "cuda:0")]
    [InlineData("10.0.0.5:30000/cpu", "10.0.0.5:30000", "cpu")]
    public void WorkerKeys_ParseWhatCreateMakes(string key, string endpoint, string device)
    {
        Assert.Equal(key, WorkerKeys.Create(endpoint, device));
        Assert.True(WorkerKeys.TryParse(key, out var e, out var d));
        Assert.Equal((endpoint, device), (e, d));
    }

    [Theory]
    [InlineData("")]
    [InlineData("noslash")]
    [InlineData("/cpu")]
    [InlineData("host:1/")]
    public void WorkerKeys_Malformed_NotParsed(string key) => Assert.False(WorkerKeys.TryParse(key, out _, out _));

    private T RoundTrip<T>(T value) => _serializer.Deserialize<T>(_serializer.SerializeToArray(value))!;
}
