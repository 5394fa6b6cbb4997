using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// OpenAI's <c>/v1/audio/speech</c> against the embedded cluster: each encoded format decodes, with a decoder
/// independent of the encoder, to the duration of the WAV of the same request and seed.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class OpenAiFormatsEndToEndTests(EmbeddedClusterFixture cluster)
{
    private const int Rate = 24000;

    // MPEG-2 Layer III: 576-sample frames and LAME's 1105-sample delay, which a headerless stream cannot declare.
    private const int Mp3FrameAndDelay = 576 + 576 + 529;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DefaultRequest_IsMp3_OfTheWavsDurationAndLevel()
    {
        using var http = new HttpClient { BaseAddress = cluster.BaseAddress };
        var (wavRate, wav) = ReadWav(await SpeakAsync(http, "wav"));
        Assert.Equal(Rate, wavRate);

        // The official SDKs' default request: no response_format.
        using var response = await http.PostAsJsonAsync("/v1/audio/speech", Request(format: null), Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        var (rate, channels, mp3) = IndependentDecoders.Mp3Samples(await response.Content.ReadAsByteArrayAsync(Token));

        Assert.Equal((Rate, 1), (rate, channels));
        Assert.InRange(mp3.Length, wav.Length, wav.Length + Mp3FrameAndDelay);

        // Real speech-like audio came through, not silence: the RMS levels agree within a lossy codec's margin.
        Assert.InRange(Rms(mp3) / Rms(wav), 0.8, 1.25);
    }

    [Theory]
    [InlineData("opus")]
    [InlineData("aac")]
    [InlineData("flac")]
    [InlineData("pcm")]
    public async Task Format_DecodesToTheWavsDuration(string format)
    {
        using var http = new HttpClient { BaseAddress = cluster.BaseAddress };
        var (_, wav) = ReadWav(await SpeakAsync(http, "wav"));
        var body = await SpeakAsync(http, format);
        switch (format)
        {
            case "opus":
                var ogg = IndependentDecoders.OggOpus(body);
                Assert.Equal(Rate, ogg.InputRate);
                Assert.Equal(wav.Length * 2, ogg.FinalGranule - ogg.PreSkip);
                Assert.InRange(ogg.Decoded48k - ogg.PreSkip, wav.Length * 2, (wav.Length * 2) + 960);
                break;
            case "aac":
                Assert.Equal(Rate, IndependentDecoders.Adts(body).SampleRate);
                Assert.InRange(await IndependentDecoders.FfmpegSamplesAsync(body, "aac", Token), wav.Length, wav.Length + 2048);
                break;
            case "flac":
                Assert.Equal(Rate, IndependentDecoders.FlacSampleRate(body));
                Assert.Equal(wav.Length, await IndependentDecoders.FfmpegSamplesAsync(body, "flac", Token));
                break;
            default:
                Assert.Equal(wav.Length * 2, body.Length);
                break;
        }
    }

    private static object Request(string? format) => format is null
        ? new { model = "tts-1", input = "Hello there. How are you today?", voice = "alloy", language = "en", sampling = new { seed = 11UL } }
        : new { model = "tts-1", input = "Hello there. How are you today?", voice = "alloy", language = "en", sampling = new { seed = 11UL }, response_format = format };

    private static async Task<byte[]> SpeakAsync(HttpClient http, string format)
    {
        using var response = await http.PostAsJsonAsync("/v1/audio/speech", Request(format), Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Token);
    }

    private static (int Rate, float[] Samples) ReadWav(byte[] wav)
    {
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34)));
        var samples = new float[(wav.Length - 44) / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44 + (2 * i))) / 32768f;
        }

        return (BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)), samples);
    }

    private static double Rms(float[] samples) => Math.Sqrt(samples.Sum(s => (double)s * s) / Math.Max(1, samples.Length));
}
