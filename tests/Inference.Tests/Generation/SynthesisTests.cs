using Sawt.Inference.Sampling;
using Sawt.Inference.Synthetic;

namespace Sawt.Inference.Tests.Generation;

[Trait("Category", "Unit")]
public sealed class SynthesisTests(TinyBundleFixture bundle)
{
    [Fact]
    public async Task Synthesize_SameSeed_SameTokensAndAudio()
    {
        var first = await Synthesize("Same seed, same speech.", seed: 42);
        var second = await Synthesize("Same seed, same speech.", seed: 42);
        Assert.Equal(first.SpeechTokens, second.SpeechTokens);
        Assert.Equal(first.Audio, second.Audio);
    }

    [Fact]
    public async Task Synthesize_DifferentSeeds_DifferentTokens()
    {
        var first = await Synthesize("Same text, another seed.", seed: 1);
        var second = await Synthesize("Same text, another seed.", seed: 2);
        Assert.NotEqual(first.SpeechTokens, second.SpeechTokens);
    }

    [Fact]
    public async Task Synthesize_TemperatureZero_GreedySameTokensWhateverTheSeed()
    {
        // CFG and the repetition penalty stay on; only the draw becomes an argmax, so the seed no longer matters.
        var greedy = new SamplingOptions { Temperature = 0f, MaxNewTokens = 120 };
        var first = await bundle.Engine.SynthesizeAsync(new SynthesisRequest("Greedy speech.", "en", Sampling: greedy with { Seed = 1 }), cancellationToken: TestContext.Current.CancellationToken);
        var second = await bundle.Engine.SynthesizeAsync(new SynthesisRequest("Greedy speech.", "en", Sampling: greedy with { Seed = 2 }), cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotEmpty(first.SpeechTokens);
        Assert.Equal(first.SpeechTokens, second.SpeechTokens);
    }

    [Fact]
    public async Task Synthesize_LongerText_MoreTokensAndStopsOnItsOwn()
    {
        var shortResult = await Synthesize("Hello there.", seed: 3);
        var longResult = await Synthesize("Hello there, this sentence is a good deal longer than the first one.", seed: 3);
        Assert.Equal(StopReason.EndOfSpeech, shortResult.StopReason);
        Assert.Equal(StopReason.EndOfSpeech, longResult.StopReason);
        Assert.True(longResult.SpeechTokens.Length > shortResult.SpeechTokens.Length * 2,
            $"long {longResult.SpeechTokens.Length} tokens vs short {shortResult.SpeechTokens.Length}");
    }

    [Fact]
    public async Task Synthesize_ArabicText_AudioTracesBackToTokens()
    {
        var result = await Synthesize("مرحبا بكم في سوت، كيف حالك؟", seed: 5, language: "ar");
        Assert.Equal(StopReason.EndOfSpeech, result.StopReason);
        // The final token's 960 samples are trimmed after STOP, as the reference does.
        Assert.Equal((result.SpeechTokens.Length - 1) * ChatterboxConstants.SamplesPerToken, result.Audio.Length);
        var tones = ToneAnalysis.DetectTones(result.Audio);
        for (var i = 1; i < tones.Length; i++)
        {
            Assert.Equal(result.SpeechTokens[i] % SyntheticLayout.ToneCount, tones[i]);
        }
    }

    [Fact]
    public async Task SynthesizeBatch_FourRequests_EachEqualsItsSingleRun()
    {
        string[] texts = ["One.", "Two is a little longer.", "ثلاثة", "Four, with a comma."];
        string[] languages = ["en", "en", "ar", "en"];
        var requests = texts.Select((t, i) => new SynthesisRequest(t, languages[i], Sampling: new SamplingOptions { Seed = (ulong)(10 + i) })).ToList();
        var batch = await bundle.Engine.SynthesizeBatchAsync(requests, cancellationToken: TestContext.Current.CancellationToken);
        for (var i = 0; i < requests.Count; i++)
        {
            var single = await bundle.Engine.SynthesizeAsync(requests[i], cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(single.SpeechTokens, batch[i].SpeechTokens);
            Assert.Equal(single.Audio.Length, batch[i].Audio.Length);
        }
    }

    [Fact]
    public async Task Synthesize_SpecialIdsSampled_DecodesOnlySpeechTokens()
    {
        // Near-uniform sampling draws START, the exaggeration slot and unused ids; none may reach the decoder
        // (which refuses them), and the audio covers exactly the speech tokens.
        var hot = new SamplingOptions { Seed = 23, Temperature = 1000f, MinP = 0f, TopP = 1f, MaxNewTokens = 80 };

        var result = await bundle.Engine.SynthesizeAsync(new SynthesisRequest("Hot sampling reaches every id.", "en", Sampling: hot), cancellationToken: TestContext.Current.CancellationToken);

        Assert.All(result.SpeechTokens, t => Assert.True(SpeechTokenPostProcessor.IsSpeechToken(t), $"{t}"));
        Assert.InRange(result.SpeechTokens.Length, 40, 79);
        var trimmed = result.StopReason == StopReason.EndOfSpeech ? 1 : 0;
        Assert.Equal((result.SpeechTokens.Length - trimmed) * ChatterboxConstants.SamplesPerToken, result.Audio.Length);
    }

    [Fact]
    public async Task Synthesize_CancelledToken_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            bundle.Engine.SynthesizeAsync(new SynthesisRequest("Never spoken.", "en"), cancellationToken: cancelled.Token));
    }

    private Task<SynthesisResult> Synthesize(string text, ulong seed, string language = "en") =>
        bundle.Engine.SynthesizeAsync(
            new SynthesisRequest(text, language, Sampling: new SamplingOptions { Seed = seed }),
            cancellationToken: TestContext.Current.CancellationToken);
}
