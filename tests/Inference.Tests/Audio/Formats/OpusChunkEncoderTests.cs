using Sawt.Inference.Audio;
using Sawt.Inference.Audio.Formats;

namespace Sawt.Inference.Tests.Audio.Formats;

[Trait("Category", "Unit")]
public sealed class OpusChunkEncoderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Encode_OneSecondSineInRandomChunks_Decodes440HzWithReasonableSnr(int seed)
    {
        var input = FormatSignals.Sine(440, 24000, 24000, 0.5);
        using var encoder = new OpusChunkEncoder(AudioFormat.Parse("opus", null));
        using var decoder = new OpusChunkDecoder(encoder.Format);

        var bytes = FormatSignals.Chunked(input, FormatSignals.RandomChunks(input.Length, seed, 24000), c => encoder.Encode(c));
        bytes.AddRange(encoder.Flush());
        var packets = OpusChunkDecoder.SplitPackets(bytes.ToArray());
        var decoded48k = packets.SelectMany(p => decoder.DecodePacket(p)).ToArray();

        Assert.Equal(50, packets.Count);
        Assert.Equal(50 * 960, decoded48k.Length);

        // Back to 24 kHz (zero-phase) and align with the input: the delay is the encoder's look-ahead, give or take
        // the sub-millisecond SILK resampler delay in hybrid packets, so take the best lag within 4 samples of it.
        var decoded = AudioResampler.Resample(decoded48k, 48000, 24000);
        var preSkip = encoder.PreSkip;
        var (lag, snr) = Enumerable.Range(-4, 9)
            .Select(l => (Lag: l, Snr: FormatSignals.SnrDb(input.AsSpan(2400, 19200), decoded.AsSpan(preSkip + l + 2400, 19200))))
            .MaxBy(x => x.Snr);
        Assert.True(snr > 15, $"SNR {snr:0.0} dB at lag {lag} from pre-skip {encoder.PreSkip}");
        Assert.InRange(
            FormatSignals.DominantFrequency(decoded.AsSpan(encoder.PreSkip + lag + 7200, 4800), 24000, 100, 4000), 435, 445);
    }

    [Fact]
    public void EncodePackets_DifferentChunkings_GiveIdenticalPackets()
    {
        var input = FormatSignals.Sine(440, 24000, 12_345, 0.5);
        var expected = PacketsOf(input, [input.Length]);

        foreach (var seed in new[] { 1, 2 })
        {
            Assert.Equal(expected, PacketsOf(input, FormatSignals.RandomChunks(input.Length, seed, 3000)));
        }
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    [InlineData(48000)]
    public void Encode_ResampledRate_DecodesSameTone(int rate)
    {
        var input = FormatSignals.Sine(440, 24000, 24000, 0.5);
        using var encoder = new OpusChunkEncoder(AudioFormat.Parse("opus", rate));
        using var decoder = new OpusChunkDecoder(encoder.Format);

        var decoded = FormatSignals.Chunked(input, FormatSignals.RandomChunks(input.Length, 7, 6000), c => decoder.Decode(encoder.Encode(c)));
        decoded.AddRange(decoder.Decode(encoder.Flush()));

        Assert.Equal(OpusChunkDecoder.DecodeRate, decoded.Count);
        var middle = decoded.Skip(19200).Take(9600).ToArray();
        Assert.InRange(FormatSignals.DominantFrequency(middle, OpusChunkDecoder.DecodeRate, 100, 3900), 435, 445);
    }

    [Theory]
    [InlineData(24000, 50)]
    [InlineData(24240, 51)]
    [InlineData(479, 1)]
    [InlineData(481, 2)]
    [InlineData(0, 0)]
    public void FlushPackets_AnyDuration_PacketCountIsCeilingOf20MsFrames(int samples, int packets)
    {
        var input = FormatSignals.Sine(300, 24000, samples, 0.3);
        using var encoder = new OpusChunkEncoder(AudioFormat.Parse("opus", 24000));

        var count = FormatSignals.Chunked(input, FormatSignals.RandomChunks(samples, 3, 5000), c => encoder.EncodePackets(c)).Count
            + encoder.FlushPackets().Count;

        Assert.Equal(packets, count);
    }

    [Fact]
    public void Encode_Framing_IsTwoByteLittleEndianLengthPerPacket()
    {
        var input = FormatSignals.Sine(440, 24000, 4800, 0.5);
        using var framed = new OpusChunkEncoder(AudioFormat.Parse("opus", null));
        using var bare = new OpusChunkEncoder(AudioFormat.Parse("opus", null));

        var bytes = framed.Encode(input);
        var packets = bare.EncodePackets(input);

        Assert.Equal(10, packets.Count);
        var offset = 0;
        foreach (var packet in packets)
        {
            Assert.InRange(packet.Length, 1, OpusChunkEncoder.MaxPacketBytes);
            Assert.Equal(packet.Length, bytes[offset] | (bytes[offset + 1] << 8));
            Assert.Equal(packet, bytes[(offset + 2)..(offset + 2 + packet.Length)]);
            offset += 2 + packet.Length;
        }

        Assert.Equal(bytes.Length, offset);
    }

    private static List<byte[]> PacketsOf(float[] input, List<int> chunks)
    {
        using var encoder = new OpusChunkEncoder(AudioFormat.Parse("opus", 16000));
        var packets = FormatSignals.Chunked(input, chunks, c => encoder.EncodePackets(c));
        packets.AddRange(encoder.FlushPackets());
        return packets;
    }
}
