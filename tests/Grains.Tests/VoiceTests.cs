using Orleans.Core.Internal;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Inference.Audio;

namespace Sawt.Grains.Tests;

/// <summary>Enrolled voices on a two-silo cluster: replaced on every silo at once, kept across a speaker's deactivation.</summary>
[Trait("Category", "Cluster")]
public sealed class VoiceTests(ClusterFixture fixture)
{
    private const string Text = "A voice speaks this sentence.";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enroll_Again_EverySiloSpeaksTheNewVoice()
    {
        var voice = "replaced-" + Guid.NewGuid().ToString("N")[..8];
        var speaker = fixture.Client.GetGrain<ISpeakerGrain>(voice);
        var first = await speaker.Enroll(Clip(220));
        var before = await SpeakSeveral(voice);

        var second = await speaker.Enroll(Clip(330));
        Assert.NotEqual(first, second);
        Assert.Equal(second, await speaker.GetRevision());
        var after = await SpeakSeveral(voice);

        // Sessions alternate between the silos' workers, so every silo that had cached the first clip served again.
        Assert.True(after.Workers.Count >= ClusterFixture.SiloCount, $"only workers {string.Join(", ", after.Workers)} were used");
        Assert.NotEqual(before.Audio, after.Audio);

        var fresh = "fresh-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(second, await fixture.Client.GetGrain<ISpeakerGrain>(fresh).Enroll(Clip(330)));
        Assert.Equal(after.Audio, (await SpeakSeveral(fresh, sessions: 1)).Audio);
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
            var last = await events.Last.WaitAsync(TimeSpan.FromSeconds(60), Token);
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

    private static float[] Floats(byte[] data)
    {
        var samples = new float[data.Length / sizeof(float)];
        Buffer.BlockCopy(data, 0, samples, 0, data.Length);
        return samples;
    }
}
