using System.Buffers.Binary;
using Concentus;

namespace Sawt.Inference.Audio.Formats;

/// <summary>
/// Decodes <see cref="OpusChunkEncoder"/> output (length-prefixed packets, or single packets) at 48 kHz, whatever
/// the format's rate. The output keeps the encoder's <see cref="OpusChunkEncoder.PreSkip"/> delay (scaled to 48 kHz);
/// callers drop it where they align.
/// </summary>
/// <remarks>
/// Always 48 kHz because Concentus 2.2.2's decoder returns silence for hybrid (SILK+CELT) packets when it decodes
/// below 48 kHz (lostromb/concentus issue 67: it accumulates CELT onto SILK as only the fixed-point build may), and
/// the encoder emits hybrid packets for speech. libopus proper decodes them at any rate.
/// </remarks>
internal sealed class OpusChunkDecoder : IAudioChunkDecoder
{
    /// <summary>The rate every packet is decoded at.</summary>
    public const int DecodeRate = 48000;

    // 120 ms at 48 kHz: the longest an Opus packet can decode to.
    private const int MaxPacketSamples = 5760;

    private readonly IOpusDecoder _decoder;
    private readonly float[] _pcm = new float[MaxPacketSamples];

    public OpusChunkDecoder(AudioFormat format)
    {
        format.EnsureSupported();
        if (format.Encoding != AudioEncoding.Opus)
        {
            throw new ArgumentException($"Expected an Opus format, got {format}.", nameof(format));
        }

        Format = format;
        _decoder = OpusCodecFactory.CreateDecoder(DecodeRate, 1);
    }

    public AudioFormat Format { get; }

    public int SampleRate => DecodeRate;

    public float[] Decode(ReadOnlySpan<byte> chunk)
    {
        var samples = new List<float>();
        foreach (var packet in SplitPackets(chunk))
        {
            samples.AddRange(DecodePacket(packet));
        }

        return [.. samples];
    }

    /// <summary>Decodes one bare Opus packet (no length prefix).</summary>
    public float[] DecodePacket(ReadOnlySpan<byte> packet)
    {
        var count = _decoder.Decode(packet, _pcm, MaxPacketSamples);
        if (count < 0)
        {
            throw new InvalidDataException($"The Opus decoder rejected a {packet.Length}-byte packet (code {count}).");
        }

        return _pcm.AsSpan(0, count).ToArray();
    }

    /// <summary>Splits a chunk of 2-byte little-endian length-prefixed packets.</summary>
    public static IReadOnlyList<byte[]> SplitPackets(ReadOnlySpan<byte> chunk)
    {
        var packets = new List<byte[]>();
        while (!chunk.IsEmpty)
        {
            if (chunk.Length < 2)
            {
                throw new InvalidDataException("Truncated Opus packet length prefix.");
            }

            var length = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
            if (chunk.Length < 2 + length)
            {
                throw new InvalidDataException($"Opus packet of {length} bytes is truncated to {chunk.Length - 2}.");
            }

            packets.Add(chunk.Slice(2, length).ToArray());
            chunk = chunk[(2 + length)..];
        }

        return packets;
    }

    public void Dispose() => _decoder.Dispose();
}
