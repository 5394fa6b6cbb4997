using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Sawt.Inference.Audio;

namespace Sawt.Inference.Voices;

/// <summary>
/// A voice reference as the speech encoder consumes it (24 kHz mono float32, checked by
/// <see cref="ReferenceAudio"/>), with a hash of those samples. The hash is of the decoded audio, not the file, so
/// one recording uploaded as PCM16 or as float, mono or as identical stereo channels, is one voice store entry.
/// </summary>
/// <param name="Samples">24 kHz mono samples.</param>
/// <param name="ContentHash">First 8 bytes of the SHA-256 of <paramref name="Samples"/> (little-endian float32), lowercase hex.</param>
public sealed record NormalizedReference(float[] Samples, string ContentHash)
{
    /// <summary>
    /// Reads and checks a reference WAV (any accepted format and rate) and resamples it; throws the
    /// <see cref="InferenceException"/>s of <see cref="ReferenceAudio.Read"/> and <see cref="ReferenceAudio.PrepareFor24k(AudioClip)"/>.
    /// CPU work proportional to the clip: call it off any latency-sensitive thread.
    /// </summary>
    public static NormalizedReference FromWav(ReadOnlyMemory<byte> wav) => FromClip(ReferenceAudio.Read(wav));

    /// <inheritdoc cref="FromWav"/>
    public static NormalizedReference FromClip(AudioClip clip)
    {
        var samples = ReferenceAudio.PrepareFor24k(clip).Samples;
        return new NormalizedReference(samples, Hash(samples));
    }

    /// <summary>
    /// The samples as a float32 WAV at 24 kHz: what to hand an encoder to recompute the voice. Reading it back gives
    /// exactly <see cref="Samples"/> (no resampling at 24 kHz, float32 is lossless), so the conditionals match.
    /// </summary>
    public byte[] ToWav() => WavWriter.ToBytes(Samples, ChatterboxConstants.SampleRate, WavSampleFormat.Float32);

    private static string Hash(float[] samples)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(samples.AsSpan()), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
