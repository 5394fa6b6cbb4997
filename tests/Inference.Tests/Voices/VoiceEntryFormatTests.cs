using System.Buffers.Binary;
using Sawt.Inference.Audio;
using Sawt.Inference.Bundles;
using Sawt.Inference.Tests.Audio;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Tests.Voices;

/// <summary>
/// The stored form of voice conditionals round-trips exactly and refuses, with its reason, every entry it cannot
/// trust; the key's parts (bundle identity, reference hash) change exactly when they should.
/// </summary>
[Trait("Category", "Unit")]
public sealed class VoiceEntryFormatTests(TinyBundleFixture bundle)
{
    [Fact]
    public async Task WriteRead_EncodedVoice_RoundTripsEveryArrayAndShape()
    {
        var voice = await Encode();

        var read = VoiceEntryFormat.Read(VoiceEntryFormat.Write(voice));

        Assert.Equal(voice.AudioFeatures, read.AudioFeatures);
        Assert.Equal(voice.PromptTokens, read.PromptTokens);
        Assert.Equal(voice.SpeakerEmbedding, read.SpeakerEmbedding);
        Assert.Equal(voice.SpeakerFeatures, read.SpeakerFeatures);
        Assert.Equal((voice.ConditioningLength, voice.HiddenSize, voice.FeatureFrames), (read.ConditioningLength, read.HiddenSize, read.FeatureFrames));
        Assert.NotEmpty(read.PromptTokens);
    }

    [Fact]
    public async Task Read_EveryTruncation_RejectedAsTruncated()
    {
        var entry = VoiceEntryFormat.Write(await Encode());
        foreach (var length in new[] { 0, 3, 5, 6, VoiceEntryFormat.HeaderSize, entry.Length / 2, entry.Length - 1 })
        {
            var error = Assert.Throws<VoiceEntryException>(() => VoiceEntryFormat.Read(entry.AsSpan(0, length)));
            Assert.True(error.Reason is VoiceEntryRejection.Truncated,
                $"{length} bytes: {error.Reason} ({error.Message})");
        }
    }

    [Fact]
    public async Task Read_OneFlippedPayloadByte_RejectedByChecksum()
    {
        var entry = VoiceEntryFormat.Write(await Encode());
        entry[VoiceEntryFormat.HeaderSize + 5] ^= 0x40;

        var error = Assert.Throws<VoiceEntryException>(() => VoiceEntryFormat.Read(entry));

        Assert.Equal(VoiceEntryRejection.ChecksumMismatch, error.Reason);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_WrongMagic_Rejected()
    {
        var entry = VoiceEntryFormat.Write(await Encode());
        "XXXX"u8.CopyTo(entry);

        Assert.Equal(VoiceEntryRejection.WrongMagic, Assert.Throws<VoiceEntryException>(() => VoiceEntryFormat.Read(entry)).Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(VoiceEntryFormat.CurrentVersion + 1)]
    public async Task Read_OtherVersionWithValidChecksum_RejectedNamingTheVersion(int version)
    {
        var entry = VoiceEntryFormat.Write(await Encode(), (ushort)version);

        var error = Assert.Throws<VoiceEntryException>(() => VoiceEntryFormat.Read(entry));

        Assert.Equal(VoiceEntryRejection.UnsupportedVersion, error.Reason);
        Assert.Contains($"format version {version}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_LengthsThatDisagreeWithTheSize_Rejected()
    {
        var entry = VoiceEntryFormat.Write(await Encode());
        var longer = entry.Concat(new byte[4]).ToArray();
        Assert.Equal(VoiceEntryRejection.Malformed, Assert.Throws<VoiceEntryException>(() => VoiceEntryFormat.Read(longer)).Reason);

        BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(16), -1);
        Assert.Equal(VoiceEntryRejection.Malformed, Assert.Throws<VoiceEntryException>(() => VoiceEntryFormat.Read(entry)).Reason);
    }

    [Fact]
    public void NormalizedReference_SameAudioInThreeEncodings_OneHash()
    {
        // PCM16 values, so the float and stereo files carry exactly the same audio.
        var samples = ReferenceAudioTests.Tone(16000, seconds: 2).Samples.Select(s => MathF.Round(s * 32767f) / 32768f).ToArray();
        var pcm16 = WavWriter.ToBytes(samples, 16000, WavSampleFormat.Pcm16);
        var float32 = WavWriter.ToBytes(samples, 16000, WavSampleFormat.Float32);
        var stereo = WavBuilder.Simple(1, 2, 16000, 16, [.. samples.SelectMany(s => Twice((short)MathF.Round(s * 32768f)))]);

        var hashes = new[] { pcm16, float32, stereo }.Select(w => NormalizedReference.FromWav(w).ContentHash).Distinct().ToList();

        Assert.Single(hashes);
        Assert.NotEqual(hashes[0], NormalizedReference.FromWav(WavWriter.ToBytes(samples.Select(s => s * 0.5f).ToArray(), 16000, WavSampleFormat.Float32)).ContentHash);
    }

    [Fact]
    public void NormalizedReference_ToWav_ReadsBackToTheSameSamplesAndHash()
    {
        var reference = NormalizedReference.FromWav(WavWriter.ToBytes(ReferenceAudioTests.Tone(16000, seconds: 2).Samples, 16000, WavSampleFormat.Pcm16));

        var again = NormalizedReference.FromWav(reference.ToWav());

        Assert.Equal(reference.Samples, again.Samples);
        Assert.Equal(reference.ContentHash, again.ContentHash);
    }

    [Fact]
    public void BundleIdentity_SameFilesSame_ChangedEncoderDiffers()
    {
        var copy = bundle.CopyBundle();
        try
        {
            var files = BundleFiles.Locate(copy, TinyBundleFixture.CpuBundle);
            var identity = BundleIdentity.Compute(files);
            Assert.Equal(BundleIdentity.Compute(BundleFiles.Locate(bundle.Directory, TinyBundleFixture.CpuBundle)), identity);
            Assert.Equal(identity, bundle.Engine.Bundle.Identity);
            Assert.Matches("^[0-9a-f]{16}$", identity);

            using (var stream = File.Open(files.SpeechEncoder, FileMode.Append))
            {
                stream.WriteByte(0);
            }

            Assert.NotEqual(identity, BundleIdentity.Compute(files));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static byte[] Twice(short sample)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt16LittleEndian(bytes, sample);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2), sample);
        return bytes;
    }

    private Task<VoiceConditionals> Encode() =>
        bundle.Engine.EncodeVoiceAsync(ReferenceAudioTests.Tone(16000, seconds: 2), TestContext.Current.CancellationToken);
}
