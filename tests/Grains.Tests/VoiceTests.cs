using Orleans.Core.Internal;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;
using Sawt.Inference.Audio;

namespace Sawt.Grains.Tests;

/// <summary>Enrolled voices on a two-silo cluster: replaced on every silo at once, kept across a speaker's deactivation.</summary>
[Trait("Category", "Cluster")]
public sealed class VoiceTests(ClusterFixture fixture)
{
    private const string Text = "A voice speaks this sentence.";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enroll_Again_EverySilosWorkerSpeaksTheNewVoice()
    {
        var voice = "replaced-" + Guid.NewGuid().ToString("N")[..8];
        var speaker = fixture.Client.GetGrain<ISpeakerGrain>(voice);
        var workers = (await fixture.Client.GetGrain<IWorkerRegistryGrain>(0).List()).Where(w => w.Kind == WorkerKind.T3).Select(w => w.WorkerKey).ToList();
        Assert.Equal(ClusterFixture.SiloCount, workers.Count);

        // Every silo's workers speak the first clip, so every silo's cache holds it.
        var first = await speaker.Enroll(Clip(220));
        var before = await SameAudioOnEverySilo(workers, voice, first);

        var second = await speaker.Enroll(Clip(330));
        Assert.NotEqual(first, second);
        Assert.Equal(second, await speaker.GetRevision());
        var after = await SameAudioOnEverySilo(workers, voice, second);
        Assert.NotEqual(before, after);

        // And it is exactly the second clip: a voice enrolled with it alone sounds the same.
        var fresh = "fresh-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(second, await fixture.Client.GetGrain<ISpeakerGrain>(fresh).Enroll(Clip(330)));
        Assert.Equal(after, await SameAudioOnEverySilo(workers, fresh, second));

        // Sessions, which pick their workers, speak it too.
        var session = await SpeakSeveral(voice, sessions: 1);
        Assert.Equal((await SpeakSeveral(fresh, sessions: 1)).Audio, session.Audio);
    }

    [Fact]
    public async Task Speaker_Deactivated_VoiceKept()
    {
        var voice = "kept-" + Guid.NewGuid().ToString("N")[..8];
        var speaker = fixture.Client.GetGrain<ISpeakerGrain>(voice);
        var revision = await speaker.Enroll(Clip(260));
        await speaker.Cast<IGrainManagementExtension>().DeactivateOnIdle(Token);

        Assert.Equal(revision, await speaker.GetRevision());
        Assert.NotEmpty((await SpeakSeveral(voice, sessions: 1)).Audio);
    }

    [Fact]
    public async Task Default_CannotBeReplaced_AndHasAFixedRevision()
    {
        var speaker = fixture.Client.GetGrain<ISpeakerGrain>(VoiceIds.Default);
        var error = await Assert.ThrowsAsync<SessionRejectedException>(() => speaker.Enroll(Clip(300)));
        Assert.Equal("invalid_request", error.Code);
        Assert.Equal(VoiceIds.DefaultRevision, await speaker.GetRevision());
        Assert.Null(await fixture.Client.GetGrain<ISpeakerGrain>("never-enrolled").GetRevision());
    }

    [Fact]
    public async Task TenantVoices_AreCatalogued_PagedById_AndGoneFromTheCatalogOnceDeleted()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N")[..8];
        var catalog = fixture.Client.GetGrain<IVoiceCatalogGrain>(VoiceKeys.Catalog(tenant));
        foreach (var voice in new[] { "c", "a", "b" })
        {
            await fixture.Client.GetGrain<ISpeakerGrain>(VoiceKeys.Speaker(tenant, voice)).Enroll(Clip(240));
        }

        var first = await catalog.List(after: null, limit: 2);
        Assert.Equal(["a", "b"], first.Voices.Select(v => v.VoiceId));
        Assert.True(first.HasMore);
        var second = await catalog.List(after: "b", limit: 2);
        Assert.Equal(["c"], second.Voices.Select(v => v.VoiceId));
        Assert.False(second.HasMore);
        var info = first.Voices[0];
        Assert.Equal((2.0, 16_000, 1, false), (info.DurationSeconds!.Value, info.SampleRate!.Value, info.Channels!.Value, info.ReadOnly));

        // The same id in another tenant (and in the open tenant) is another voice.
        Assert.Null(await fixture.Client.GetGrain<ISpeakerGrain>(VoiceKeys.Speaker("other" + tenant, "a")).GetRevision());

        var speaker = fixture.Client.GetGrain<ISpeakerGrain>(VoiceKeys.Speaker(tenant, "a"));
        Assert.True(await speaker.Delete());
        Assert.False(await speaker.Delete());
        Assert.Null(await speaker.GetRevision());
        Assert.Null(await speaker.GetInfo());
        Assert.Equal(["b", "c"], (await catalog.List(null, 10)).Voices.Select(v => v.VoiceId));
        var refused = await Assert.ThrowsAsync<SessionRejectedException>(() => fixture.Client.GetGrain<ISpeakerGrain>(VoiceIds.Default).Delete());
        Assert.Equal("invalid_request", refused.Code);
    }

    [Fact]
    public async Task Session_ResolvesTheVoiceInItsTenantOnly()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Client.GetGrain<ISpeakerGrain>(VoiceKeys.Speaker(tenant, "mine")).Enroll(Clip(250));

        var other = await Assert.ThrowsAsync<SessionRejectedException>(() =>
            fixture.Client.GetGrain<ITtsSessionGrain>(Guid.NewGuid()).Start(new SessionStart { Text = Text, Language = "en", VoiceId = "mine", Tenant = "x" + tenant }));
        Assert.Equal("unknown_voice", other.Code);

        var id = Guid.NewGuid();
        var events = await SessionEvents.SubscribeAsync(fixture.Client, id);
        await fixture.Client.GetGrain<ITtsSessionGrain>(id).Start(new SessionStart { Text = Text, Language = "en", VoiceId = "mine", Tenant = tenant, Sampling = new() { Seed = 3 } });
        var last = await events.Last().WaitAsync(TimeSpan.FromSeconds(60), Token);
        Assert.True(last is SessionCompleted, last is SessionFailed f ? $"{f.Code}: {f.Message}" : last.GetType().Name);
    }

    [Theory]
    [InlineData(9, 16_000, 2.0, 0.3, "unsupported_audio_format")]
    [InlineData(1, 4_000, 2.0, 0.3, "unsupported_audio_format")]
    [InlineData(1, 16_000, 0.5, 0.3, "reference_audio_too_short")]
    [InlineData(1, 16_000, 31.0, 0.3, "reference_audio_too_long")]
    [InlineData(1, 16_000, 2.0, 0.0, "reference_audio_silent")]
    public async Task Enroll_BadReference_RefusedWithItsCodeAndNoVoice(int channels, int rate, double seconds, double amplitude, string code)
    {
        var voice = "bad-" + Guid.NewGuid().ToString("N")[..8];
        var speaker = fixture.Client.GetGrain<ISpeakerGrain>(voice);
        var error = await Assert.ThrowsAsync<SessionRejectedException>(() => speaker.Enroll(Wav(channels, rate, seconds, amplitude)));
        Assert.Equal(code, error.Code);
        Assert.False(error.Retryable);
        Assert.Null(await speaker.GetRevision());
    }

    /// <summary>
    /// One sentence's speech tokens (seed fixed) generated and then decoded by each silo's workers in turn, in the
    /// voice revision given; the decoded audio, which carries the voice, must be the same on every silo.
    /// </summary>
    private async Task<byte[]> SameAudioOnEverySilo(IReadOnlyList<string> workers, string voice, string revision)
    {
        byte[]? audio = null;
        foreach (var worker in workers)
        {
            var job = new T3Job(Text, "en", voice, new SamplingSettings { Seed = 11 }, revision);
            var tokens = new List<long>();
            await foreach (var batch in fixture.Client.GetGrain<IT3WorkerGrain>(worker).Generate(job, Token))
            {
                tokens.AddRange(batch.Tokens);
            }

            var decoded = await fixture.Client.GetGrain<IDecoderWorkerGrain>(worker).Decode(new DecodeJob(voice, [.. tokens], revision), Token);
            if (audio is null)
            {
                audio = decoded;
            }
            else
            {
                Assert.True(audio.AsSpan().SequenceEqual(decoded), $"the workers of {worker} speak otherwise than those of {workers[0]}");
            }
        }

        return audio!;
    }

    /// <summary>Several sessions with one seed: all must sound the same; returns that audio and the T3 workers used.</summary>
    private async Task<(float[] Audio, HashSet<string> Workers)> SpeakSeveral(string voice, int sessions = 4)
    {
        float[]? audio = null;
        var workers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sessions; i++)
        {
            var id = Guid.NewGuid();
            var events = await SessionEvents.SubscribeAsync(fixture.Client, id);
            await fixture.Client.GetGrain<ITtsSessionGrain>(id).Start(new SessionStart { Text = Text, Language = "en", VoiceId = voice, Sampling = new() { Seed = 11 } });
            var last = await events.Last().WaitAsync(TimeSpan.FromSeconds(60), Token);
            Assert.True(last is SessionCompleted, last is SessionFailed f ? $"{f.Code}: {f.Message}" : last.GetType().Name);
            workers.Add(events.Started!.T3Worker);
            var samples = events.Audio.SelectMany(c => Floats(c.Data)).ToArray();
            if (audio is null)
            {
                audio = samples;
            }
            else
            {
                Assert.Equal(audio, samples);
            }
        }

        return (audio!, workers);
    }

    /// <summary>Two seconds of a tone at 16 kHz (not the model rate, so enrolment resamples), as a PCM16 WAV.</summary>
    private static byte[] Clip(double hz)
    {
        var samples = new float[32_000];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(0.3 * Math.Sin(2 * Math.PI * hz * i / 16_000));
        }

        return WavWriter.ToBytes(samples, 16_000, WavSampleFormat.Pcm16);
    }

    /// <summary>A PCM16 WAV with any channel count (the writer makes mono only), every channel the same tone.</summary>
    private static byte[] Wav(int channels, int rate, double seconds, double amplitude)
    {
        var frames = (int)(rate * seconds);
        var data = new byte[frames * channels * 2];
        for (var i = 0; i < frames; i++)
        {
            var sample = (short)(amplitude * short.MaxValue * Math.Sin(2 * Math.PI * 200 * i / rate));
            for (var c = 0; c < channels; c++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(((i * channels) + c) * 2), sample);
            }
        }

        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 36 + data.Length);
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 16);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(20), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(22), (short)channels);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), rate);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), rate * channels * 2);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(32), (short)(channels * 2));
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(34), 16);
        "data"u8.CopyTo(header.AsSpan(36));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(40), data.Length);
        return [.. header, .. data];
    }

    private static float[] Floats(byte[] data)
    {
        var samples = new float[data.Length / sizeof(float)];
        Buffer.BlockCopy(data, 0, samples, 0, data.Length);
        return samples;
    }
}
