using System.Buffers.Binary;
using Concentus;
using Concentus.Enums;

namespace Sawt.Inference.Audio.Formats;

/// <summary>
/// Streams mono Opus (Concentus, the managed libopus port) in 20 ms packets at the format's rate.
/// </summary>
/// <remarks>
/// <para>
/// Framing of <see cref="Encode"/>/<see cref="Flush"/>: zero or more packets, each as a 2-byte little-endian
/// unsigned length followed by that many bytes of one Opus packet (RFC 6716; at most 1275 bytes, never 0). There is
/// no Ogg container, no header packet and no granule position: a client feeds each packet to an Opus decoder
/// created for 1 channel (any decoding rate with libopus; 48 kHz with Concentus, whose decoder silences hybrid
/// packets below 48 kHz, see <see cref="OpusChunkDecoder"/>), and drops the first <see cref="PreSkip"/> samples (scaled to its
/// decoding rate) of the decoded stream, which are encoder look-ahead. A WebSocket gateway sends
/// <see cref="EncodePackets"/>' packets one per binary frame, without the prefix.
/// </para>
/// <para>
/// Application is AUDIO, not VOIP: VOIP high-passes and emphasises formants and pitch harmonics for
/// intelligibility over lossy networks; TTS output is already clean speech and the goal is to reproduce the
/// model's voice as it is, which AUDIO does (closest to the input at a given bit rate). Fixed settings: 32 kbit/s VBR,
/// which is transparent-ish for 12 kHz-band speech, and complexity <see cref="Complexity"/>.
/// </para>
/// <para>
/// <see cref="Flush"/> pads the last partial frame with silence, so a segment of d seconds yields
/// ceil(d / 20 ms) packets; the encoder is not reset, so one decoder can decode every segment of the stream in order.
/// The final ~6.5 ms (encoder look-ahead) of a segment is only emitted when the padding covers it; speech ends in
/// silence, so nothing audible is cut.
/// </para>
/// </remarks>
public sealed class OpusChunkEncoder : IAudioChunkEncoder
{
    /// <summary>Target bit rate in bits per second.</summary>
    public const int Bitrate = 32000;

    /// <summary>Encoder complexity (0-10); 5 keeps the managed encoder well ahead of real time per stream.</summary>
    public const int Complexity = 5;

    /// <summary>The largest Opus packet (RFC 6716 section 3.2.1), which a 2-byte length always holds.</summary>
    public const int MaxPacketBytes = 1275;

    private const int FramesPerSecond = 50;

    private readonly IOpusEncoder _encoder;
    private readonly StreamingResampler? _resampler;
    private readonly float[] _frame;
    private readonly byte[] _packet = new byte[MaxPacketBytes];
    private int _frameCount;

    public OpusChunkEncoder(AudioFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        format.EnsureSupported();
        if (format.Encoding != AudioEncoding.Opus)
        {
            throw new ArgumentException($"Expected an Opus format, got {format}.", nameof(format));
        }

        Format = format;
        // The factory picks native libopus when the machine has it, else the managed port; both emit standard packets.
        _encoder = OpusCodecFactory.CreateEncoder(format.SampleRate, 1, OpusApplication.OPUS_APPLICATION_AUDIO);
        _encoder.Bitrate = Bitrate;
        _encoder.Complexity = Complexity;
        _encoder.UseVBR = true;
        _encoder.SignalType = OpusSignal.OPUS_SIGNAL_VOICE;
        _frame = new float[format.SampleRate / FramesPerSecond];
        _resampler = format.SampleRate == AudioFormat.EngineSampleRate
            ? null
            : new StreamingResampler(AudioFormat.EngineSampleRate, format.SampleRate);
    }

    public AudioFormat Format { get; }

    /// <summary>Samples per packet at <see cref="AudioFormat.SampleRate"/> (20 ms).</summary>
    public int FrameSamples => _frame.Length;

    /// <summary>
    /// Encoder look-ahead in samples at <see cref="AudioFormat.SampleRate"/> (6.5 ms, as Ogg Opus's pre-skip): the
    /// decoded stream lags the input by this much, so a client drops this many samples (scaled to its decoding rate)
    /// at the start of the stream. Hybrid (speech) packets decode up to ~0.1 ms earlier than this (SILK's resampler).
    /// </summary>
    public int PreSkip => _encoder.Lookahead;

    /// <summary>Encodes the next chunk; returns the length-prefixed packets completed so far (see remarks).</summary>
    public byte[] Encode(ReadOnlySpan<float> samples24k) => Frame(EncodePackets(samples24k));

    /// <summary>Ends the segment; returns the remaining length-prefixed packets.</summary>
    public byte[] Flush() => Frame(FlushPackets());

    /// <summary>Encodes the next chunk; returns each completed 20 ms packet as its own array (no length prefix).</summary>
    public IReadOnlyList<byte[]> EncodePackets(ReadOnlySpan<float> samples24k)
    {
        var packets = new List<byte[]>();
        Push(_resampler is null ? samples24k : _resampler.Process(samples24k), packets);
        return packets;
    }

    /// <summary>
    /// Ends the segment: drains the resampler and encodes the partial frame padded with silence; returns those packets.
    /// </summary>
    public IReadOnlyList<byte[]> FlushPackets()
    {
        var packets = new List<byte[]>();
        if (_resampler is not null)
        {
            Push(_resampler.Flush(), packets);
        }

        if (_frameCount > 0)
        {
            _frame.AsSpan(_frameCount).Clear();
            packets.Add(EncodeFrame());
            _frameCount = 0;
        }

        return packets;
    }

    private void Push(ReadOnlySpan<float> samples, List<byte[]> packets)
    {
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, _frame.Length - _frameCount);
            samples[..take].CopyTo(_frame.AsSpan(_frameCount));
            _frameCount += take;
            samples = samples[take..];
            if (_frameCount == _frame.Length)
            {
                packets.Add(EncodeFrame());
                _frameCount = 0;
            }
        }
    }

    private byte[] EncodeFrame()
    {
        var length = _encoder.Encode(_frame, _frame.Length, _packet, _packet.Length);
        if (length <= 0)
        {
            throw new InferenceException(InferenceErrorCode.RuntimeFailure, $"The Opus encoder failed with code {length}.");
        }

        return _packet.AsSpan(0, length).ToArray();
    }

    public void Dispose() => _encoder.Dispose();

    private static byte[] Frame(IReadOnlyList<byte[]> packets)
    {
        var total = 0;
        foreach (var packet in packets)
        {
            total += 2 + packet.Length;
        }

        var bytes = new byte[total];
        var offset = 0;
        foreach (var packet in packets)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), (ushort)packet.Length);
            packet.CopyTo(bytes.AsSpan(offset + 2));
            offset += 2 + packet.Length;
        }

        return bytes;
    }
}
