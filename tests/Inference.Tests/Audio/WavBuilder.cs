using System.Buffers.Binary;

namespace Sawt.Inference.Tests.Audio;

/// <summary>Hand-builds RIFF/WAVE files byte by byte, independently of the writer under test.</summary>
internal static class WavBuilder
{
    public static readonly Guid PcmSubFormat = new("00000001-0000-0010-8000-00aa00389b71");
    public static readonly Guid FloatSubFormat = new("00000003-0000-0010-8000-00aa00389b71");

    public static byte[] Fmt(ushort tag, ushort channels, uint sampleRate, ushort bitsPerSample)
    {
        var blockAlign = (ushort)(channels * ((bitsPerSample + 7) / 8));
        var fmt = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(8), sampleRate * blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), bitsPerSample);
        return fmt;
    }

    public static byte[] ExtensibleFmt(ushort channels, uint sampleRate, ushort bitsPerSample, Guid subFormat)
    {
        var fmt = new byte[40];
        Fmt(0xFFFE, channels, sampleRate, bitsPerSample).CopyTo(fmt, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(18), bitsPerSample);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(20), channels == 1 ? 0x4u : 0x3u);
        subFormat.TryWriteBytes(fmt.AsSpan(24));
        return fmt;
    }

    public static byte[] Chunk(string id, byte[] body, uint? declaredSize = null, bool pad = true)
    {
        var needsPad = pad && body.Length % 2 == 1;
        var chunk = new byte[8 + body.Length + (needsPad ? 1 : 0)];
        System.Text.Encoding.ASCII.GetBytes(id).CopyTo(chunk, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), declaredSize ?? (uint)body.Length);
        body.CopyTo(chunk, 8);
        return chunk;
    }

    public static byte[] Riff(params byte[][] chunks)
    {
        var body = chunks.SelectMany(c => c).ToArray();
        var file = new byte[12 + body.Length];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(4 + body.Length));
        "WAVE"u8.CopyTo(file.AsSpan(8));
        body.CopyTo(file, 12);
        return file;
    }

    public static byte[] Simple(ushort tag, ushort channels, uint sampleRate, ushort bits, byte[] data) =>
        Riff(Chunk("fmt ", Fmt(tag, channels, sampleRate, bits)), Chunk("data", data));

    public static byte[] Pcm16(params short[] samples)
    {
        var data = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), samples[i]);
        }

        return data;
    }
}
