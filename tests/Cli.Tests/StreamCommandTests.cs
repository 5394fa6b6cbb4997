using System.Buffers.Binary;
using Concentus;
using Sawt.Inference.Audio;

namespace Sawt.Cli.Tests;

/// <summary><c>sawt stream</c> in-process against a synthetic bundle it generates.</summary>
[Trait("Category", "Unit")]
public sealed class StreamCommandTests : IDisposable
{
    private const string English = "Your table is booked for seven. We will send a reminder soon.";
    private readonly string _work = Path.Combine(Path.GetTempPath(), "sawt-cli-stream-" + Guid.NewGuid().ToString("N"));

    public StreamCommandTests()
    {
        Directory.CreateDirectory(_work);
    }

    [Fact]
    public async Task Stream_ToWav_WritesReadable24kHzWavAndReportsChunks()
    {
        var bundle = await GenerateBundle();
        var wav = Path.Combine(_work, "out.wav");
        var (code, output, error) = await Run(null, "stream", "--text", "مرحبا بكم في سوت. كيف حالك اليوم؟", "--language", "ar", "--out", wav, "--model", bundle, "--provider", "cpu", "--seed", "3");

        Assert.True(code == 0, error);
        var clip = WavReader.Read(wav);
        Assert.Equal(24_000, clip.SampleRate);
        Assert.NotEmpty(clip.Samples);
        Assert.Contains("chunk 0: +", error, StringComparison.Ordinal);
        Assert.Contains("tokens 0..", error, StringComparison.Ordinal);
        Assert.Contains("time to first audio", output, StringComparison.Ordinal);

        // The chunks' samples add up to the file's.
        var reported = error.Split('\n').Where(l => l.StartsWith("chunk ", StringComparison.Ordinal))
            .Sum(l => int.Parse(l.Split(", ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(clip.Samples.Length, reported);
    }

    [Fact]
    public async Task Stream_MuLawAt8kHz_OneBytePerSampleAt8kHz()
    {
        var bundle = await GenerateBundle();
        var wav = Path.Combine(_work, "ref.wav");
        var raw = Path.Combine(_work, "out.ulaw");
        var (code, _, error) = await Run(null, "stream", "--text", English, "-l", "en", "-o", wav, "--model", bundle, "--provider", "cpu", "--seed", "5");
        Assert.True(code == 0, error);
        (code, _, error) = await Run(null, "stream", "--text", English, "-l", "en", "-o", raw, "--format", "mulaw", "--rate", "8000", "--model", bundle, "--provider", "cpu", "--seed", "5");
        Assert.True(code == 0, error);

        // Same seed, same 24 kHz audio; at 8 kHz that is a third as many samples, one byte each.
        var samples24k = WavReader.Read(wav).Samples.Length;
        Assert.Equal(0, samples24k % 3);
        Assert.Equal(samples24k / 3, new FileInfo(raw).Length);
    }

    [Fact]
    public async Task Stream_Opus_LengthPrefixedPacketsThatDecode()
    {
        var bundle = await GenerateBundle();
        var raw = Path.Combine(_work, "out.opus");
        var (code, _, error) = await Run(null, "stream", "--text", English, "-l", "en", "-o", raw, "--format", "opus", "--model", bundle, "--provider", "cpu", "--seed", "5");
        Assert.True(code == 0, error);

        var bytes = (await File.ReadAllBytesAsync(raw, TestContext.Current.CancellationToken)).AsSpan();
        using var decoder = OpusCodecFactory.CreateDecoder(48_000, 1);
        var pcm = new float[5760];
        var packets = 0;
        var decoded = 0;
        while (!bytes.IsEmpty)
        {
            Assert.True(bytes.Length >= 2, "truncated length prefix");
            int length = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
            Assert.InRange(length, 1, 1275);
            Assert.True(bytes.Length >= 2 + length, "truncated packet");
            var count = decoder.Decode(bytes.Slice(2, length), pcm, pcm.Length);
            Assert.Equal(960, count);
            decoded += count;
            packets++;
            bytes = bytes[(2 + length)..];
        }

        Assert.True(packets > 10, $"only {packets} packets");
        Assert.Equal(packets * 960, decoded);
    }

    [Fact]
    public async Task Stream_Stdin_SpeaksLinesAsTheyArrive()
    {
        var bundle = await GenerateBundle();
        var wav = Path.Combine(_work, "stdin.wav");
        using var input = new StringReader("Your table is booked\nfor seven. We will send\na reminder soon.\n");
        var (code, output, error) = await Run(input, "stream", "--stdin", "-l", "en", "-o", wav, "--model", bundle, "--provider", "cpu", "--seed", "7");

        Assert.True(code == 0, error);
        Assert.Contains("of segment 1", error, StringComparison.Ordinal);
        Assert.Contains("(final)", error, StringComparison.Ordinal);
        Assert.Contains("Wrote", output, StringComparison.Ordinal);
        Assert.NotEmpty(WavReader.Read(wav).Samples);
    }

    [Theory]
    [InlineData("--format", "mp3")]
    [InlineData("--rate", "11025")]
    [InlineData("--chunk-schedule", "10,x")]
    [InlineData("--chunk-schedule", "0")]
    public async Task Stream_BadOptions_InvalidOptions(string option, string value)
    {
        var bundle = await GenerateBundle();
        var (exit, _, error) = await Run(null, "stream", "--text", "hi", "-l", "en", "-o", Path.Combine(_work, "x.raw"), "--model", bundle, "--provider", "cpu", option, value);

        Assert.Equal(SawtCommandLine.EngineErrorExitCode, exit);
        Assert.Contains("error [invalid_options]", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mulaw", "x.wav")]
    [InlineData("pcm16", null)]
    public async Task Stream_WavWithG711OrNoText_InvalidOptions(string format, string? file)
    {
        var bundle = await GenerateBundle();
        string[] text = file is null ? [] : ["--text", "hi"];
        var (exit, _, error) = await Run(null, ["stream", .. text, "-l", "en", "-o", Path.Combine(_work, file ?? "x.raw"), "--format", format, "--model", bundle, "--provider", "cpu"]);

        Assert.Equal(SawtCommandLine.EngineErrorExitCode, exit);
        Assert.Contains("error [invalid_options]", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // Temp leftovers are harmless.
        }
    }

    private async Task<string> GenerateBundle()
    {
        var bundle = Path.Combine(_work, "bundle");
        var (code, _, error) = await Run(null, "bundle", "generate", "--out", bundle, "--size", "tiny");
        Assert.True(code == 0, error);
        return bundle;
    }

    private static async Task<(int Code, string Output, string Error)> Run(TextReader? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SawtCommandLine.RunAsync(args, output, error, input ?? TextReader.Null, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
