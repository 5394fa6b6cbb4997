using Sawt.Contracts.Sessions;

namespace Sawt.Grains.Tests;

/// <summary>What one session may cost: its audio, pauses included, is bounded (the fixture's limit is 30 s).</summary>
[Trait("Category", "Cluster")]
public sealed class SessionLimitTests(ClusterFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_PausesAloneOverTheLimit_RefusedBeforeAnyWork()
    {
        // The amplification the hardening issue found: 400 tiny sentences with 5 s pauses made a 211 MB WAV.
        var text = string.Concat(Enumerable.Repeat("ب. ", 400));
        var session = fixture.Client.GetGrain<ITtsSessionGrain>(Guid.NewGuid());
        var error = await Assert.ThrowsAsync<SessionRejectedException>(() => session.Start(new SessionStart
        {
            Text = text,
            Language = "ar",
            Chunking = new() { SentencePauseMilliseconds = 5000 },
        }));
        Assert.Equal("audio_too_long", error.Code);
        Assert.False(error.Retryable);
        Assert.Contains("30 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_SpeechBeyondTheLimit_EndsWithAudioTooLongAfterAtMostTheLimit()
    {
        var text = string.Join(' ', Enumerable.Range(1, 12).Select(i => $"Sentence number {i} keeps this long text going for quite a while longer."));
        var id = Guid.NewGuid();
        var events = await SessionEvents.SubscribeAsync(fixture.Client, id);
        await fixture.Client.GetGrain<ITtsSessionGrain>(id).Start(new SessionStart { Text = text, Language = "en", Sampling = new() { Seed = 8 } });

        var last = Assert.IsType<SessionFailed>(await events.Last().WaitAsync(TimeSpan.FromSeconds(120), Token));
        Assert.Equal("audio_too_long", last.Code);
        var seconds = events.Audio.Sum(c => c.DurationMilliseconds) / 1000;
        Assert.InRange(seconds, 1, ClusterFixture.MaxAudioSeconds);
    }
}
