using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Sawt.Inference.Voices;

/// <summary>
/// The versioned binary form of <see cref="VoiceConditionals"/> kept in the shared voice store. Little-endian:
/// <code>
/// 0   magic "SWVC"            4 bytes
/// 4   format version          u16 (<see cref="CurrentVersion"/>)
/// 6   reserved                u16, 0
/// 8   conditioning length     i32  (33 for the multilingual model)
/// 12  hidden size             i32  (1024)
/// 16  prompt tokens           i32  (Np, at most 250)
/// 20  speaker embedding       i32  (192)
/// 24  feature frames          i32  (Tm)
/// 28  mel bins                i32  (80)
/// 32  audio_features          f32 [conditioning length, hidden size]
///     audio_tokens            i64 [Np]
///     speaker_embeddings      f32 [192]
///     speaker_features        f32 [Tm, mel bins]
/// end checksum                8 bytes: SHA-256 of everything before it, truncated
/// </code>
/// A reader refuses, with a <see cref="VoiceEntryRejection"/>, anything it cannot trust: a short buffer, another
/// magic, another version, inconsistent lengths, a checksum mismatch. Bump <see cref="CurrentVersion"/> whenever
/// the layout or the meaning of a field changes; entries of other versions are then recomputed, never converted.
/// </summary>
public static class VoiceEntryFormat
{
    /// <summary>The version this build writes and the only one it reads.</summary>
    public const ushort CurrentVersion = 1;

    /// <summary>Bytes before the payload.</summary>
    public const int HeaderSize = 32;

    /// <summary>Bytes of the trailing checksum.</summary>
    public const int ChecksumSize = 8;

    /// <summary>Upper bound of any one array's element count, far above the real model's (33 x 1024); refuses absurd headers.</summary>
    private const int MaxElements = 1 << 24;

    /// <summary>"SWVC": Sawt voice conditionals.</summary>
    public static ReadOnlySpan<byte> Magic => "SWVC"u8;

    /// <summary>Serialises conditionals (caller owns the returned array).</summary>
    public static byte[] Write(VoiceConditionals voice, ushort version = CurrentVersion)
    {
        ArgumentNullException.ThrowIfNull(voice);
        var melBins = voice.FeatureFrames == 0 ? 0 : voice.SpeakerFeatures.Length / voice.FeatureFrames;
        if (voice.AudioFeatures.Length != voice.ConditioningLength * voice.HiddenSize || melBins * voice.FeatureFrames != voice.SpeakerFeatures.Length)
        {
            throw new ArgumentException("The conditionals' array lengths do not match their declared shapes.", nameof(voice));
        }

        var payload = (4L * voice.AudioFeatures.Length) + (8L * voice.PromptTokens.Length) + (4L * voice.SpeakerEmbedding.Length) + (4L * voice.SpeakerFeatures.Length);
        var result = new byte[HeaderSize + payload + ChecksumSize];
        var span = result.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], version);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], voice.ConditioningLength);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], voice.HiddenSize);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], voice.PromptTokens.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], voice.SpeakerEmbedding.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], voice.FeatureFrames);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], melBins);

        var offset = HeaderSize;
        offset += WriteArray<float>(voice.AudioFeatures, span[offset..]);
        offset += WriteArray<long>(voice.PromptTokens, span[offset..]);
        offset += WriteArray<float>(voice.SpeakerEmbedding, span[offset..]);
        offset += WriteArray<float>(voice.SpeakerFeatures, span[offset..]);
        Checksum(span[..offset], span[offset..]);
        return result;
    }

    /// <summary>
    /// Reads an entry, or throws <see cref="VoiceEntryException"/> with the reason it must not be used.
    /// </summary>
    public static VoiceConditionals Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < 6)
        {
            throw Reject(VoiceEntryRejection.Truncated, $"the entry is {data.Length} bytes, shorter than its magic and version");
        }

        if (!data[..4].SequenceEqual(Magic))
        {
            throw Reject(VoiceEntryRejection.WrongMagic, $"it starts with 0x{Convert.ToHexString(data[..4])}, not a voice entry");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        if (version != CurrentVersion)
        {
            throw Reject(VoiceEntryRejection.UnsupportedVersion, $"format version {version}; this build reads version {CurrentVersion}");
        }

        if (data.Length < HeaderSize + ChecksumSize)
        {
            throw Reject(VoiceEntryRejection.Truncated, $"the entry is {data.Length} bytes, shorter than its header");
        }

        var conditioning = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        var hidden = BinaryPrimitives.ReadInt32LittleEndian(data[12..]);
        var tokens = BinaryPrimitives.ReadInt32LittleEndian(data[16..]);
        var embedding = BinaryPrimitives.ReadInt32LittleEndian(data[20..]);
        var frames = BinaryPrimitives.ReadInt32LittleEndian(data[24..]);
        var melBins = BinaryPrimitives.ReadInt32LittleEndian(data[28..]);
        long features = (long)conditioning * hidden;
        long mel = (long)frames * melBins;
        if (conditioning < 0 || hidden < 0 || tokens < 0 || embedding < 0 || frames < 0 || melBins < 0
            || features > MaxElements || tokens > MaxElements || embedding > MaxElements || mel > MaxElements)
        {
            throw Reject(VoiceEntryRejection.Malformed,
                $"lengths out of bounds (conditioning {conditioning}, hidden {hidden}, tokens {tokens}, embedding {embedding}, frames {frames}, mel bins {melBins})");
        }

        var expected = HeaderSize + (4 * features) + (8L * tokens) + (4L * embedding) + (4 * mel) + ChecksumSize;
        if (data.Length < expected)
        {
            throw Reject(VoiceEntryRejection.Truncated, $"the entry is {data.Length} bytes; its header declares {expected}");
        }

        if (data.Length > expected)
        {
            throw Reject(VoiceEntryRejection.Malformed, $"the entry is {data.Length} bytes; its header declares {expected}");
        }

        var body = (int)expected - ChecksumSize;
        Span<byte> checksum = stackalloc byte[ChecksumSize];
        Checksum(data[..body], checksum);
        if (!checksum.SequenceEqual(data[body..]))
        {
            throw Reject(VoiceEntryRejection.ChecksumMismatch, "its checksum does not match its bytes");
        }

        var offset = HeaderSize;
        var audioFeatures = ReadArray<float>(data, ref offset, (int)features);
        var promptTokens = ReadArray<long>(data, ref offset, tokens);
        var speakerEmbedding = ReadArray<float>(data, ref offset, embedding);
        var speakerFeatures = ReadArray<float>(data, ref offset, (int)mel);
        return new VoiceConditionals(audioFeatures, conditioning, hidden, promptTokens, speakerEmbedding, speakerFeatures, frames);
    }

    private static int WriteArray<T>(ReadOnlySpan<T> values, Span<byte> destination)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The voice entry format is little-endian; big-endian hosts are not supported.");
        }

        bytes.CopyTo(destination);
        return bytes.Length;
    }

    private static T[] ReadArray<T>(ReadOnlySpan<byte> data, ref int offset, int count)
        where T : unmanaged
    {
        var result = new T[count];
        var bytes = MemoryMarshal.AsBytes(result.AsSpan());
        data.Slice(offset, bytes.Length).CopyTo(bytes);
        offset += bytes.Length;
        return result;
    }

    private static void Checksum(ReadOnlySpan<byte> body, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        hash[..ChecksumSize].CopyTo(destination);
    }

    private static VoiceEntryException Reject(VoiceEntryRejection reason, string detail) =>
        new(reason, $"Voice entry refused ({reason}): {detail}.");
}
