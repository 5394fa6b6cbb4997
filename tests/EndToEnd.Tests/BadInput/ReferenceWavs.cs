using System.Buffers.Binary;

namespace Sawt.EndToEnd.Tests.BadInput;

/// <summary>
/// Generated reference WAVs for <c>POST /v1/voices/{id}</c>: a valid base clip varied one header field or property at
/// a time (format tag, channels, rate, bit depth, length, loudness, chunk sizes), each with the code docs/protocol.md
/// gives it. The expectations follow the documented limits, not the engine's code.
/// </summary>
internal static class ReferenceWavs
{
    private const ushort Pcm = 1, Float = 3, Extensible = 0xFFFE;

    public static IEnumerable<HttpCase> Cases()
    {
        var valid = new HttpAnswer(201, null);
        var unreadable = new HttpAnswer(400, "unreadable_audio");
        var unsupported = new HttpAnswer(400, "unsupported_audio_format");
        var baseline = new Spec();

        yield return Case("valid/pcm16-mono-16k", baseline, valid);
        yield return Case("valid/float32-stereo-44k1", baseline with { Tag = Float, Bits = 32, Channels = 2, Rate = 44_100 }, valid);
        yield return Case("valid/float64-mono-24k", baseline with { Tag = Float, Bits = 64, Rate = 24_000 }, valid);
        yield return Case("valid/pcm24-8ch-48k", baseline with { Bits = 24, Channels = 8, Rate = 48_000, Seconds = 1.2 }, valid);
        yield return Case("valid/pcm8-mono-8k", baseline with { Bits = 8, Rate = 8_000 }, valid);
        yield return Case("valid/extensible-pcm16", baseline with { Tag = Extensible, SubFormat = Pcm }, valid);
        yield return Case("valid/30s-exactly", baseline with { Rate = 8_000, Seconds = 30 }, valid);
        yield return Case("valid/data-size-claims-200s", baseline with { DeclaredDataBytes = 200 * 16_000 * 2 }, valid);

        foreach (var rate in new[] { 0, 1, 4_000, 7_999, 192_001, 384_000, 1_536_001, int.MaxValue })
        {
            yield return Case($"rate/{rate}", baseline with { Rate = rate, Seconds = rate is > 0 and < 100_000 ? 2 : 0, FrameCount = rate is > 0 and < 100_000 ? null : 40_000 }, unsupported);
        }

        yield return Case("channels/0", baseline with { Channels = 0, FrameCount = 32_000 }, unreadable);
        foreach (var channels in new[] { 9, 16, 255, 65_535 })
        {
            yield return Case($"channels/{channels}", baseline with { Channels = channels, Seconds = 0, FrameCount = 64 }, unsupported);
        }

        foreach (var bits in new[] { 0, 33, 40, 48, 64, 65_535 })
        {
            yield return Case($"bits/pcm-{bits}", baseline with { Bits = bits, Seconds = 0, FrameCount = 64 }, unsupported);
        }

        foreach (var bits in new[] { 8, 16, 24, 48 })
        {
            yield return Case($"bits/float-{bits}", baseline with { Tag = Float, Bits = bits, Seconds = 0, FrameCount = 64 }, unsupported);
        }

        foreach (var (name, tag) in new[] { ("adpcm", (ushort)2), ("alaw", (ushort)6), ("mulaw", (ushort)7), ("mp3", (ushort)0x55), ("unknown", (ushort)0x1234) })
        {
            yield return Case($"tag/{name}", baseline with { Tag = tag }, unsupported);
        }

        yield return Case("tag/extensible-adpcm-subformat", baseline with { Tag = Extensible, SubFormat = 2 }, unsupported);

        yield return Case("length/no-samples", baseline with { Seconds = 0, FrameCount = 0 }, unreadable);
        yield return Case("length/half-second", baseline with { Seconds = 0.5 }, new HttpAnswer(400, "reference_audio_too_short"));
        yield return Case("length/31s", baseline with { Rate = 8_000, Seconds = 31 }, new HttpAnswer(400, "reference_audio_too_long"));
        yield return Case("length/60s-8bit", baseline with { Rate = 8_000, Bits = 8, Seconds = 60 }, new HttpAnswer(400, "reference_audio_too_long"));
        yield return Case("loudness/digital-silence", baseline with { Amplitude = 0 }, new HttpAnswer(400, "reference_audio_silent"));
        yield return Case("loudness/-70-dBFS", baseline with { Amplitude = 0.0003 }, new HttpAnswer(400, "reference_audio_silent"));
        yield return Case("loudness/float-nan", baseline with { Tag = Float, Bits = 32, NaN = true }, unreadable);

        yield return Raw("structure/riff-only", "RIFF\0\0\0\0"u8.ToArray(), unreadable);
        yield return Raw("structure/riff-not-wave", [.. "RIFF\u0004\0\0\0AVI "u8], unreadable);
        yield return Raw("structure/big-endian-rifx", [.. "RIFX"u8, .. Wav(baseline).AsSpan(4)], unreadable);
        yield return Raw("structure/no-data-chunk", Wav(baseline)[..36], unreadable);
        yield return Raw("structure/fmt-truncated", [.. Wav(baseline)[..20]], unreadable);
        yield return Raw("structure/fmt-size-huge", Patch(Wav(baseline), 16, uint.MaxValue), unreadable);
        yield return Raw("structure/fmt-size-8", Patch(Wav(baseline), 16, 8), unreadable);
        yield return Raw("structure/text-file", "This is not audio at all, only text."u8.ToArray(), unreadable);
        yield return new HttpCase("upload/over-10-MiB", "POST", "/v1/voices/huge-upload", new byte[(10 * 1024 * 1024) + 1], new HttpAnswer(413, "payload_too_large"), "audio/wav");
    }

    /// <summary>A clip every limit accepts: two seconds of a tone, 16-bit mono PCM at 16 kHz.</summary>
    public static byte[] ValidClip() => Wav(new Spec());

    /// <summary>Another accepted clip, different in every header field: 1.5 s of 32-bit float stereo at 44.1 kHz.</summary>
    public static byte[] StereoFloatClip() => Wav(new Spec { Tag = Float, Bits = 32, Channels = 2, Rate = 44_100, Seconds = 1.5 });

    private static HttpCase Case(string id, Spec spec, HttpAnswer expect) => Raw(id, Wav(spec), expect);

    private static HttpCase Raw(string id, byte[] body, HttpAnswer expect) =>
        new("upload/" + id, "POST", "/v1/voices/ref-" + Slug(id), body, expect, "audio/wav");

    private static string Slug(string id) => new([.. id.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    private static byte[] Patch(byte[] wav, int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(offset), value);
        return wav;
    }

    /// <summary>Writes a WAV exactly as the spec says, however implausible its header.</summary>
    private static byte[] Wav(Spec spec)
    {
        var bytesPerSample = Math.Max(1, (spec.Bits + 7) / 8);
        var frames = spec.FrameCount ?? (int)(spec.Rate * spec.Seconds);
        var channels = Math.Max(spec.Channels, 1);
        var data = new byte[frames * channels * Math.Min(bytesPerSample, 8)];
        var sampleBytes = Math.Min(bytesPerSample, 8);
        for (var i = 0; i < frames; i++)
        {
            var value = spec.NaN ? double.NaN : spec.Amplitude * Math.Sin(2 * Math.PI * 200 * i / Math.Max(spec.Rate, 1));
            for (var c = 0; c < channels; c++)
            {
                WriteSample(data.AsSpan(((i * channels) + c) * sampleBytes, sampleBytes), spec.Tag == Float, value);
            }
        }

        var extensible = spec.Tag == Extensible;
        var fmtSize = extensible ? 40 : 16;
        var header = new byte[12 + 8 + fmtSize + 8];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)(header.Length - 8 + data.Length));
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), fmtSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(20), spec.Tag);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(22), (ushort)spec.Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), (uint)spec.Rate);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), (uint)((long)spec.Rate * channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), (ushort)(channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), (ushort)spec.Bits);
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(36), 22);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(38), (ushort)spec.Bits);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(44), spec.SubFormat);
            new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 }.CopyTo(header.AsSpan(46));
        }

        var dataHeader = 12 + 8 + fmtSize;
        "data"u8.CopyTo(header.AsSpan(dataHeader));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(dataHeader + 4), spec.DeclaredDataBytes ?? (uint)data.Length);
        return [.. header, .. data];
    }

    private static void WriteSample(Span<byte> target, bool isFloat, double value)
    {
        if (isFloat)
        {
            if (target.Length == 8)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(target, value);
            }
            else if (target.Length == 4)
            {
                BinaryPrimitives.WriteSingleLittleEndian(target, (float)value);
            }

            return;
        }

        switch (target.Length)
        {
            case 1:
                target[0] = (byte)(128 + (127 * value));
                break;
            case 2:
                BinaryPrimitives.WriteInt16LittleEndian(target, (short)(short.MaxValue * value));
                break;
            case 3:
                var v = (int)(8_388_607 * value);
                target[0] = (byte)v;
                target[1] = (byte)(v >> 8);
                target[2] = (byte)(v >> 16);
                break;
            default:
                BinaryPrimitives.WriteInt32LittleEndian(target, (int)(int.MaxValue * value));
                break;
        }
    }

    /// <summary>A clip: by default two seconds of a 200 Hz tone, 16-bit mono PCM at 16 kHz, at -10 dBFS.</summary>
    private sealed record Spec
    {
        public ushort Tag { get; init; } = Pcm;

        public ushort SubFormat { get; init; } = Pcm;

        public int Channels { get; init; } = 1;

        public int Rate { get; init; } = 16_000;

        public int Bits { get; init; } = 16;

        public double Seconds { get; init; } = 2;

        /// <summary>Frames written, when they should not follow from rate and seconds.</summary>
        public int? FrameCount { get; init; }

        public double Amplitude { get; init; } = 0.3;

        public bool NaN { get; init; }

        /// <summary>The data chunk's size field, when it should lie about the bytes that follow.</summary>
        public uint? DeclaredDataBytes { get; init; }
    }
}
