using System.Buffers.Binary;

namespace Sawt.Gateway.Http;

/// <summary>Mono WAV headers: IEEE float (format 3) for pcm_f32le, PCM (format 1) for pcm_s16le.</summary>
internal static class WavFile
{
    public const int HeaderBytes = 44;

    public static bool CanWrap(string encoding) => encoding is "pcm_f32le" or "pcm_s16le";

    public static byte[] Header(string encoding, int sampleRate, int dataBytes)
    {
        var isFloat = encoding == "pcm_f32le";
        var bits = isFloat ? 32 : 16;
        var blockAlign = bits / 8;
        var header = new byte[HeaderBytes];
        var span = header.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], (short)(isFloat ? 3 : 1));
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], (short)blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], (short)bits);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        return header;
    }

    /// <summary>Content type of raw (unwrapped) audio in an encoding.</summary>
    public static string RawContentType(string encoding) => Audio.TranscodedFormats.Find(encoding)?.ContentType ?? encoding switch
    {
        "mulaw" => "audio/basic",
        "alaw" => "audio/x-alaw-basic",
        "opus" => "application/octet-stream",
        _ => "audio/pcm",
    };
}
