using System.Buffers.Binary;
using Sawt.Inference.Audio;

namespace Sawt.Inference.Tests.Audio;

/// <summary>
/// Every combination of extreme header values (encodings, channels, bit depths, rates, block aligns) with truncated,
/// oversized, streamed and odd data chunks: the reader and the voice path may only refuse with
/// <see cref="InferenceException"/>, and what the reader accepts must be what its header-only read promised.
/// </summary>
[Trait("Category", "Unit")]
public sealed class WavHeaderFuzzTests
{
    private static readonly InferenceErrorCode[] ReaderCodes = [InferenceErrorCode.UnreadableAudio, InferenceErrorCode.UnsupportedAudioFormat];

    private static readonly InferenceErrorCode[] VoiceCodes =
    [
        InferenceErrorCode.UnreadableAudio,
        InferenceErrorCode.UnsupportedAudioFormat,
        InferenceErrorCode.ReferenceAudioTooShort,
        InferenceErrorCode.ReferenceAudioTooLong,
        InferenceErrorCode.ReferenceAudioSilent,
    ];

    private static readonly ushort[] Channels = [0, 1, 2, 8, 9, 65535];
    private static readonly ushort[] Bits = [0, 1, 7, 8, 12, 16, 20, 24, 32, 33, 48, 64];
    private static readonly uint[] Rates = [0, 1, 7999, 8000, 44100, 192000, 192001, WavReader.MaxSampleRate, WavReader.MaxSampleRate + 1, uint.MaxValue];

    /// <summary>Plain tags (PCM, IEEE float, mu-law, unknown 0) and the two extensible sub-formats.</summary>
    private static readonly (ushort Tag, Guid? SubFormat)[] Encodings =
    [
        (1, null), (3, null), (7, null), (0, null), (0xFFFE, WavBuilder.PcmSubFormat), (0xFFFE, WavBuilder.FloatSubFormat),
    ];

    [Fact]
    public void Read_ExtremeHeaders_OnlyInferenceExceptionsAndConsistentHeaderRead()
    {
        var random = new Random(4242);
        var failures = new List<string>();
        var cases = 0;
        foreach (var (tag, subFormat) in Encodings)
        {
            foreach (var channels in Channels)
            {
                foreach (var bits in Bits)
                {
                    foreach (var rate in Rates)
                    {
                        var fmt = subFormat is { } guid ? WavBuilder.ExtensibleFmt(channels, rate, bits, guid) : WavBuilder.Fmt(tag, channels, rate, bits);
                        var blockAligns = BlockAligns(fmt);
                        for (var a = 0; a < blockAligns.Length; a++)
                        {
                            // Every chunk layout with the honest block align (the first); the others matter only where samples are decoded.
                            var blockAlign = blockAligns[a];
                            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), blockAlign);
                            foreach (var (name, file) in DataVariants(fmt, random).Where(v => a == 0 || v.Name is "1 KB" or "odd data then chunk"))
                            {
                                cases++;
                                var where = $"tag 0x{tag:X4} {channels} ch {bits} bit {rate} Hz align {blockAlign} {name}";
                                CheckReader(file, where, failures);
                                CheckVoicePath(file, where, failures);
                            }
                        }
                    }
                }
            }
        }

        Assert.True(cases > 10_000, $"only {cases} cases");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases broke the contract, e.g.:\n{string.Join('\n', failures.Take(10))}");
    }

    [Theory]
    [InlineData((ushort)1, (ushort)8, 8)]
    [InlineData((ushort)1, (ushort)12, 16)]
    [InlineData((ushort)1, (ushort)20, 24)]
    [InlineData((ushort)1, (ushort)32, 32)]
    [InlineData((ushort)3, (ushort)64, 64)]
    public void Read_OneSecondAtBothRateBounds_VoicePathPreparesIt(ushort tag, ushort bits, int containerBits)
    {
        foreach (var rate in new[] { ReferenceAudio.MinimumSampleRate, ReferenceAudio.MaximumSampleRate })
        {
            var data = new byte[rate * containerBits / 8 * 2];
            new Random(rate + bits).NextBytes(data);
            if (tag == 3)
            {
                // Random bytes are mostly NaN or huge as doubles: write a real signal instead.
                for (var i = 0; i < data.Length / 8; i++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), 0.25 * Math.Sin(i * 0.05));
                }
            }

            var clip = ReferenceAudio.PrepareFor24k(ReferenceAudio.Read(WavBuilder.Simple(tag, 2, (uint)rate, bits, data)));

            Assert.Equal(ChatterboxConstants.SampleRate, clip.SampleRate);
            Assert.Equal(24000, clip.Samples.Length);
        }
    }

    private static void CheckReader(byte[] file, string where, List<string> failures)
    {
        try
        {
            var clip = WavReader.Read(file);
            var info = WavReader.ReadInfo(file);
            if (clip.Samples.Length == 0 || clip.Samples.Length != info.Frames || clip.SampleRate != info.SampleRate)
            {
                failures.Add($"{where}: read {clip.Samples.Length} samples at {clip.SampleRate} Hz, header said {info.Frames} at {info.SampleRate} Hz");
            }
        }
        catch (InferenceException error) when (ReaderCodes.Contains(error.Code))
        {
            var info = Record.Exception(() => WavReader.ReadInfo(file));
            if (info is not InferenceException headerError || headerError.Code != error.Code)
            {
                failures.Add($"{where}: Read refused with {error.Code} but ReadInfo gave {info?.GetType().Name ?? "a result"}");
            }
        }
        catch (Exception error)
        {
            failures.Add($"{where}: reader threw {error.GetType().Name}: {error.Message}");
        }
    }

    private static void CheckVoicePath(byte[] file, string where, List<string> failures)
    {
        try
        {
            ReferenceAudio.PrepareFor24k(ReferenceAudio.Read(file));
        }
        catch (InferenceException error) when (VoiceCodes.Contains(error.Code) && !error.IsRetryable)
        {
            // A clear, non-retryable refusal.
        }
        catch (Exception error)
        {
            failures.Add($"{where}: voice path threw {error.GetType().Name}: {error.Message}");
        }
    }

    /// <summary>The honest block align, zero, one and the largest value: the reader must not trust any of them.</summary>
    private static ushort[] BlockAligns(byte[] fmt)
    {
        var honest = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(12));
        return [honest, 0, 1, ushort.MaxValue];
    }

    private static IEnumerable<(string Name, byte[] File)> DataVariants(byte[] fmt, Random random)
    {
        byte[] Bytes(int length)
        {
            var data = new byte[length];
            random.NextBytes(data);
            return data;
        }

        var fmtChunk = WavBuilder.Chunk("fmt ", fmt);
        yield return ("no data bytes", WavBuilder.Riff(fmtChunk, WavBuilder.Chunk("data", [])));
        yield return ("one data byte", WavBuilder.Riff(fmtChunk, WavBuilder.Chunk("data", Bytes(1))));
        yield return ("odd data then chunk", WavBuilder.Riff(fmtChunk, WavBuilder.Chunk("data", Bytes(257)), WavBuilder.Chunk("LIST", Bytes(3))));
        yield return ("1 KB", WavBuilder.Riff(fmtChunk, WavBuilder.Chunk("data", Bytes(1024))));
        yield return ("data size beyond end", WavBuilder.Riff(fmtChunk, WavBuilder.Chunk("data", Bytes(600), declaredSize: 1_000_000)));
        yield return ("streamed data size", WavBuilder.Riff(fmtChunk, WavBuilder.Chunk("data", Bytes(600), declaredSize: uint.MaxValue)));
        yield return ("fmt size beyond end", WavBuilder.Riff(WavBuilder.Chunk("fmt ", fmt, declaredSize: uint.MaxValue)));
        yield return ("odd fmt size", WavBuilder.Riff(WavBuilder.Chunk("fmt ", [.. fmt, 0x55]), WavBuilder.Chunk("data", Bytes(64))));
        yield return ("truncated mid-data", WavBuilder.Riff(fmtChunk, WavBuilder.Chunk("data", Bytes(64)))[..^17]);
    }
}
