using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;
using Sawt.Inference.Synthetic;

namespace Sawt.Inference.Tests.Turbo;

/// <summary>
/// End to end on the synthetic Turbo bundle through the engine's public surface (the same calls the CLI and the T3
/// worker make): one row per sequence whatever the cfg weight, three silence tokens once at the end of every segment,
/// audio that traces back to the tokens, and an English-only refusal.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TurboSynthesisTests(TurboBundleFixture turbo)
{
    private static readonly long[] Silence = [.. Enumerable.Repeat(TurboConstants.SilenceToken, TurboConstants.SilenceTokenCount)];

    [Theory]
    [InlineData("fp32")]
    [InlineData("fp16")]
    public async Task Synthesize_EndsWithThreeSilenceTokensOnce_AudioTracesBackToTokens(string variant)
    {
        using var engine = turbo.Load(variant);

        var result = await engine.SynthesizeAsync(
            new SynthesisRequest("Turbo speaks English only.", "en", Sampling: new SamplingOptions { Seed = 5 }),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(StopReason.EndOfSpeech, result.StopReason);
        Assert.True(result.SpeechTokens.Length > 10, $"{result.SpeechTokens.Length} tokens");
        Assert.Equal(Silence, result.SpeechTokens[^3..]);
        Assert.NotEqual(TurboConstants.SilenceToken, result.SpeechTokens[^4]); // appended once, not per chunk or twice
        Assert.All(result.SpeechTokens, t => Assert.True(SpeechTokenPostProcessor.IsSpeechToken(t), $"{t}"));

        // The final token's audio is trimmed after STOP (engine default), which here is the last silence token.
        Assert.Equal((result.SpeechTokens.Length - 1) * ChatterboxConstants.SamplesPerToken, result.Audio.Length);
        var tones = ToneAnalysis.DetectTones(result.Audio);
        for (var i = 1; i < tones.Length; i++)
        {
            Assert.Equal(result.SpeechTokens[i] % SyntheticLayout.ToneCount, tones[i]);
        }
    }

    [Fact]
    public async Task Synthesize_CfgWeightSet_IgnoredOneRowSameTokens()
    {
        // Turbo has no CFG: a cfg weight must neither add an unconditional row nor change the result.
        var without = await Synthesize("No guidance here.", new SamplingOptions { Seed = 8, CfgWeight = 0f });
        var with = await Synthesize("No guidance here.", new SamplingOptions { Seed = 8, CfgWeight = 0.9f, Exaggeration = 2f });

        Assert.Equal(without.SpeechTokens, with.SpeechTokens);
        var sequence = turbo.Engine.Executor.CreateSequence(turbo.Engine.Prepare(new SynthesisRequest("Rows.", "en", Sampling: new SamplingOptions { CfgWeight = 0.9f })));
        Assert.Equal(1, sequence.Rows);
        Assert.Equal(SamplingOrder.Turbo, sequence.Sampler.Order);
    }

    [Fact]
    public async Task Synthesize_OtherLanguage_UnsupportedLanguage()
    {
        var error = await Assert.ThrowsAsync<InferenceException>(() =>
            Synthesize("Bonjour.", new SamplingOptions { Seed = 1 }, language: "fr"));
        Assert.Equal(InferenceErrorCode.UnsupportedLanguage, error.Code);
    }

    [Fact]
    public async Task Stream_TwoSentencesInSmallChunks_SilenceOnlyAtTheEndOfEachSegment()
    {
        var request = new StreamingRequest(
            "First sentence of the stream. And a second one follows it.",
            "en",
            Sampling: new SamplingOptions { Seed = 21 },
            Streaming: new StreamingOptions { ChunkSchedule = [4, 6], ContextTokens = 4, HoldbackTokens = 2, CrossFadeMilliseconds = 0 });
        var chunks = new List<AudioChunk>();
        await foreach (var chunk in turbo.Engine.StreamAsync(request, TestContext.Current.CancellationToken))
        {
            chunks.Add(chunk);
        }

        var segments = chunks.Where(c => c.SegmentIndex >= 0).GroupBy(c => c.SegmentIndex).ToList();
        Assert.Equal(2, segments.Count);
        Assert.True(chunks.Count > 4, $"{chunks.Count} chunks: too few to test chunking");
        Assert.True(chunks[^1].IsFinal);
        var silenceTone = TurboConstants.SilenceToken % SyntheticLayout.ToneCount;
        foreach (var segment in segments)
        {
            var tones = ToneAnalysis.DetectTones([.. segment.SelectMany(c => c.Samples)]);

            // Trimmed after STOP: two of the three silence tokens' blocks close the segment, and only there.
            Assert.Equal([silenceTone, silenceTone], tones[^2..]);
            Assert.NotEqual(silenceTone, tones[^3]);
        }
    }

    [Fact]
    public void CreateSequence_TextNearTheTableEnd_StepCapKeepsEveryPositionInGpt2Table()
    {
        // Emoji cost several byte-level ids each: a text within the character limit that leaves less room than
        // max_new_tokens in the 8196 positions conditioning, text and speech share.
        var text = string.Concat(Enumerable.Repeat("😀🎉🦄", 800));
        var request = turbo.Engine.Prepare(new SynthesisRequest(text, "en", Sampling: new SamplingOptions { MaxNewTokens = SamplingOptions.MaxNewTokensLimit }));
        var room = TurboConstants.PositionTable - TurboConstants.ConditioningSlots - request.Text.Ids.Length;
        Assert.True(room < SamplingOptions.MaxNewTokensLimit - 4, $"{request.Text.Ids.Length} ids leave {room} positions: not near the end");

        var sequence = turbo.Engine.Executor.CreateSequence(request);

        Assert.Equal(room, sequence.MaxSteps);
    }

    private Task<SynthesisResult> Synthesize(string text, SamplingOptions sampling, string language = "en") =>
        turbo.Engine.SynthesizeAsync(new SynthesisRequest(text, language, Sampling: sampling), cancellationToken: TestContext.Current.CancellationToken);
}
