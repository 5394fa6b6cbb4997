using System.Buffers.Binary;
using System.Diagnostics;
using Concentus;
using NLayer;

namespace Sawt.Gateway.Tests.Infrastructure;

/// <summary>
/// Decoders for the gateway's encoded formats that share no code with its encoder (ffmpeg's libmp3lame, libopus,
/// aac and flac encoders): NLayer for MP3, an Ogg page reader here plus Concentus for Ogg Opus, and, for AAC and FLAC,
/// ffmpeg's decoders (a separate code path from its encoders) with the stream's rate read from its headers here.
/// </summary>
internal static class IndependentDecoders
{
    /// <summary>Decodes MP3 with NLayer: its rate, channels and samples per channel.</summary>
    public static (int SampleRate, int Channels, int Samples) Mp3(byte[] data)
    {
        var (rate, channels, samples) = Mp3Samples(data);
        return (rate, channels, samples.Length / channels);
    }

    /// <summary>Decodes MP3 with NLayer: its rate, channels and the interleaved samples.</summary>
    public static (int SampleRate, int Channels, float[] Samples) Mp3Samples(byte[] data)
    {
        using var file = new MpegFile(new MemoryStream(data));
        var buffer = new float[4096];
        var all = new List<float>();
        int read;
        while ((read = file.ReadSamples(buffer, 0, buffer.Length)) > 0)
        {
            all.AddRange(buffer.AsSpan(0, read));
        }

        return (file.SampleRate, file.Channels, [.. all]);
    }

    /// <summary>
    /// Reads an Ogg Opus stream (RFC 7845): OpusHead's channels, pre-skip and input rate, the final page's granule
    /// position, and the sample count Concentus decodes (at 48 kHz) from every audio packet.
    /// </summary>
    public static (int Channels, int PreSkip, int InputRate, long FinalGranule, int Decoded48k) OggOpus(byte[] data)
    {
        var packets = new List<byte[]>();
        var partial = new List<byte>();
        long granule = -1;
        var offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 27 || !data.AsSpan(offset, 4).SequenceEqual("OggS"u8))
            {
                throw new InvalidDataException($"No Ogg page at byte {offset}.");
            }

            granule = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(offset + 6));
            var segments = data[offset + 26];
            var body = offset + 27 + segments;
            for (var i = 0; i < segments; i++)
            {
                var length = data[offset + 27 + i];
                partial.AddRange(data.AsSpan(body, length).ToArray());
                body += length;
                if (length < 255)
                {
                    packets.Add([.. partial]);
                    partial.Clear();
                }
            }

            offset = body;
        }

        var head = packets[0];
        if (!head.AsSpan(0, 8).SequenceEqual("OpusHead"u8) || !packets[1].AsSpan(0, 8).SequenceEqual("OpusTags"u8))
        {
            throw new InvalidDataException("Not an Ogg Opus stream.");
        }

        int channels = head[9];
        int preSkip = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10));
        var inputRate = BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(12));
        using var decoder = OpusCodecFactory.CreateDecoder(48000, channels);
        var pcm = new float[5760 * channels];
        var decoded = 0;
        foreach (var packet in packets.Skip(2))
        {
            var count = decoder.Decode(packet, pcm, 5760);
            if (count < 0)
            {
                throw new InvalidDataException($"Concentus rejected a packet ({count}).");
            }

            decoded += count;
        }

        return (channels, preSkip, inputRate, granule, decoded);
    }

    /// <summary>The rate in a FLAC stream's STREAMINFO block (20 bits after its first 10 bytes).</summary>
    public static int FlacSampleRate(byte[] data)
    {
        if (!data.AsSpan(0, 4).SequenceEqual("fLaC"u8) || (data[4] & 0x7F) != 0)
        {
            throw new InvalidDataException("Not a FLAC stream starting with STREAMINFO.");
        }

        var info = data.AsSpan(8);
        return (info[10] << 12) | (info[11] << 4) | (info[12] >> 4);
    }

    /// <summary>The rate and channels in the first ADTS header (ISO 14496-3 1.A.2), and how many ADTS frames there are.</summary>
    public static (int SampleRate, int Channels, int Frames) Adts(byte[] data)
    {
        int[] rates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
        var frames = 0;
        var offset = 0;
        int rate = 0, channels = 0;
        while (offset < data.Length)
        {
            if (data[offset] != 0xFF || (data[offset + 1] & 0xF0) != 0xF0)
            {
                throw new InvalidDataException($"No ADTS sync word at byte {offset}.");
            }

            rate = rates[(data[offset + 2] >> 2) & 0x0F];
            channels = ((data[offset + 2] & 0x01) << 2) | (data[offset + 3] >> 6);
            var length = ((data[offset + 3] & 0x03) << 11) | (data[offset + 4] << 3) | (data[offset + 5] >> 5);
            offset += length;
            frames++;
        }

        return (rate, channels, frames);
    }

    /// <summary>Decodes with ffmpeg's decoder for <paramref name="demuxer"/> to mono 16-bit at the stream's own rate: the sample count.</summary>
    public static async Task<int> FfmpegSamplesAsync(byte[] data, string demuxer, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-hide_banner", "-nostdin", "-v", "error", "-f", demuxer, "-i", "pipe:0", "-f", "s16le", "-ac", "1", "pipe:1" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var writing = Task.Run(
            async () =>
            {
                await process.StandardInput.BaseStream.WriteAsync(data, cancellationToken);
                process.StandardInput.Close();
            },
            cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        await writing;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidDataException($"ffmpeg could not decode the {demuxer} stream: {await errors}");
        }

        return (int)(output.Length / 2);
    }
}
