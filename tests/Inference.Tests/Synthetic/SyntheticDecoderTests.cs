using Sawt.Inference.Decoding;
using Sawt.Inference.Synthetic;

namespace Sawt.Inference.Tests.Synthetic;

[Trait("Category", "Unit")]
public sealed class SyntheticDecoderTests(TinyBundleFixture bundle)
{
    [Fact]
    public void Decode_RandomTokens_LengthIs960PerTokenAndTonesTraceBack()
    {
        var random = new Random(11);
        var tokens = Enumerable.Range(0, 40).Select(_ => (long)random.Next(0, ChatterboxConstants.SpeechCodebookSize)).ToArray();
        var audio = new SpeechDecoder(bundle.Engine.Bundle).Decode(bundle.Engine.DefaultVoice, tokens, TestContext.Current.CancellationToken);

        Assert.Equal(tokens.Length * ChatterboxConstants.SamplesPerToken, audio.Length);
        Assert.Equal(tokens.Select(t => t % SyntheticLayout.ToneCount), ToneAnalysis.DetectTones(audio));
    }

    [Fact]
    public void Decode_EveryCall_FadesInItsFirst960Samples()
    {
        var audio = new SpeechDecoder(bundle.Engine.Bundle).Decode(bundle.Engine.DefaultVoice, [100, 200, 300], TestContext.Current.CancellationToken);
        Assert.All(audio[..480], s => Assert.Equal(0f, s));
        Assert.True(audio[480..960].Max(Math.Abs) > 0.01f);
        Assert.True(audio[960..1920].Max(Math.Abs) > audio[480..960].Max(Math.Abs));
    }

    [Fact]
    public void Decode_IdAtOrAbove6561_Rejected()
    {
        var decoder = new SpeechDecoder(bundle.Engine.Bundle);
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Decode(bundle.Engine.DefaultVoice, [5, 6561], TestContext.Current.CancellationToken));
    }
}
