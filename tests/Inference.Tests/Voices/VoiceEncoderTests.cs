using Sawt.Inference.Audio;
using Sawt.Inference.Tests.Audio;

namespace Sawt.Inference.Tests.Voices;

/// <summary>The engine's voice entry points refuse bad references with their codes, never with a framework exception.</summary>
[Trait("Category", "Unit")]
public sealed class VoiceEncoderTests(TinyBundleFixture bundle)
{
    public static TheoryData<string, byte[], InferenceErrorCode> BadReferences => new()
    {
        { "not a wav", "RIFF...."u8.ToArray(), InferenceErrorCode.UnreadableAudio },
        { "mu-law", WavBuilder.Simple(7, 1, 8000, 8, new byte[16000]), InferenceErrorCode.UnsupportedAudioFormat },
        { "1 Hz with 150,000 samples", WavBuilder.Simple(1, 1, 1, 16, new byte[300_000]), InferenceErrorCode.UnsupportedAudioFormat },
        { "nine channels", WavBuilder.Simple(1, 9, 8000, 8, Loud(9 * 16000)), InferenceErrorCode.UnsupportedAudioFormat },
        { "half a second", WavBuilder.Simple(1, 1, 8000, 8, Loud(4000)), InferenceErrorCode.ReferenceAudioTooShort },
        { "31 seconds", WavBuilder.Simple(1, 1, 8000, 8, Loud(8000 * 31)), InferenceErrorCode.ReferenceAudioTooLong },
        { "silence", WavWriter.ToBytes(new float[32000], 16000, WavSampleFormat.Pcm16), InferenceErrorCode.ReferenceAudioSilent },
    };

    [Theory]
    [MemberData(nameof(BadReferences))]
    public async Task EncodeVoiceAsync_BadWav_ThrowsItsNonRetryableCode(string name, byte[] wav, InferenceErrorCode expected)
    {
        var error = await Assert.ThrowsAsync<InferenceException>(() => bundle.Engine.EncodeVoiceAsync(wav, TestContext.Current.CancellationToken));

        Assert.Equal(expected, error.Code);
        Assert.False(error.IsRetryable, name);
    }

    [Fact]
    public async Task EncodeVoiceAsync_OneHertzClip_UnsupportedFormatNotArgumentOutOfRange()
    {
        // The clip overload gets the same bounds: this used to fail inside the resampler.
        var clip = new AudioClip(Enumerable.Range(0, 150_000).Select(i => (float)Math.Sin(i)).ToArray(), 1);

        var error = await Assert.ThrowsAsync<InferenceException>(() => bundle.Engine.EncodeVoiceAsync(clip, TestContext.Current.CancellationToken));

        Assert.Equal(InferenceErrorCode.UnsupportedAudioFormat, error.Code);
    }

    [Fact]
    public async Task EncodeVoiceAsync_WavBytes_SameConditionalsAsTheDecodedClip()
    {
        var wav = WavWriter.ToBytes(ReferenceAudioTests.Tone(16000, seconds: 2).Samples, 16000, WavSampleFormat.Pcm16);

        var fromBytes = await bundle.Engine.EncodeVoiceAsync(wav, TestContext.Current.CancellationToken);
        var fromClip = await bundle.Engine.EncodeVoiceAsync(WavReader.Read(wav), TestContext.Current.CancellationToken);

        Assert.Equal(fromClip.AudioFeatures, fromBytes.AudioFeatures);
        Assert.Equal(fromClip.PromptTokens, fromBytes.PromptTokens);
    }

    /// <summary>8-bit PCM noise well above the silence threshold.</summary>
    private static byte[] Loud(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }
}
