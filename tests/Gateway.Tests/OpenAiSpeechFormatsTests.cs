using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// <c>/v1/audio/speech</c>'s formats and <c>/v1/tts</c>'s container encodings, on real Kestrel with a real HTTP client,
/// over the fake cluster (16-bit PCM of a known length) and the real ffmpeg; each answer is decoded independently of
/// the encoder (<see cref="IndependentDecoders"/>).
/// </summary>
[Trait("Category", "Gateway")]
public sealed class OpenAiSpeechFormatsTests : IAsyncLifetime
{
    /// <summary>The fake session's "chunks:20" utterance: chunks of 240, 480, ... 4800 samples at 24 kHz (2.1 s).</summary>
    private const string Input = "chunks:20 speech";
    private const int Samples = 240 * (20 * 21 / 2);
    private const int Rate = 24000;

    // MPEG-2 Layer III frames are 576 samples; LAME's delay is 576 + 529, which no header tells the decoder here.
    private const int Mp3Frame = 576;
    private const int Mp3EncoderDelay = 576 + 529;

    // AAC frames are 1024 samples, and the encoder primes one frame, which ADTS cannot say.
    private const int AacFrame = 1024;

    // Opus at 48 kHz: 20 ms frames of 960 samples.
    private const int OpusFrame48k = 960;

    private GatewayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GatewayServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoResponseFormat_IsStreamedMp3_ThatNLayerDecodesToTheUtterancesDuration()
    {
        // What the official OpenAI SDKs send by default: no response_format, an OpenAI voice, a model name.
        using var response = await SendAsync("/v1/audio/speech", $$"""{"model":"gpt-4o-mini-tts","input":"{{Input}}","voice":"alloy"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal("mp3", response.Headers.GetValues("X-Encoding").Single());

        var (rate, channels, samples) = IndependentDecoders.Mp3(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(Rate, rate);
        Assert.Equal(1, channels);
        Assert.InRange(samples, Samples, Samples + Mp3Frame + Mp3EncoderDelay);
        Assert.Equal("pcm_s16le", _server.Backend.Sessions.Single().Start.Output.Encoding);
    }

    [Fact]
    public async Task Opus_IsStreamedOggOpus_ThatConcentusDecodesToTheUtterancesDuration()
    {
        using var response = await SendAsync("/v1/audio/speech", Speech("opus"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/ogg", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.TransferEncodingChunked);

        var ogg = IndependentDecoders.OggOpus(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(1, ogg.Channels);
        Assert.Equal(Rate, ogg.InputRate);

        // The end granule marks the exact end (48 kHz, after the pre-skip); the packets cover it to a whole frame.
        Assert.Equal(Samples * 2, ogg.FinalGranule - ogg.PreSkip);
        Assert.InRange(ogg.Decoded48k - ogg.PreSkip, Samples * 2, (Samples * 2) + OpusFrame48k);
    }

    [Fact]
    public async Task Aac_IsStreamedAdts_OfTheUtterancesDuration()
    {
        using var response = await SendAsync("/v1/audio/speech", Speech("aac"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/aac", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.TransferEncodingChunked);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);

        var adts = IndependentDecoders.Adts(body);
        Assert.Equal(Rate, adts.SampleRate);
        Assert.Equal(1, adts.Channels);
        Assert.InRange(adts.Frames * AacFrame, Samples, Samples + (2 * AacFrame));
        Assert.InRange(await IndependentDecoders.FfmpegSamplesAsync(body, "aac", Ct), Samples, Samples + (2 * AacFrame));
    }

    [Fact]
    public async Task Flac_IsStreamedFlac_ThatDecodesToExactlyTheUtterance()
    {
        using var response = await SendAsync("/v1/audio/speech", Speech("flac"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/flac", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.TransferEncodingChunked);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal(Rate, IndependentDecoders.FlacSampleRate(body));
        Assert.Equal(Samples, await IndependentDecoders.FfmpegSamplesAsync(body, "flac", Ct));
    }

    [Fact]
    public async Task Wav_IsAWhole16BitWav_OfTheUtterance()
    {
        using var response = await SendAsync("/v1/audio/speech", Speech("wav"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (rate, bits, samples) = ReadWav(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal((Rate, 16, Samples), (rate, bits, samples));
    }

    [Fact]
    public async Task Pcm_IsStreamedRaw16Bit_OfTheUtterance()
    {
        using var response = await SendAsync("/v1/audio/speech", Speech("pcm"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(Samples * 2, (await response.Content.ReadAsByteArrayAsync(Ct)).Length);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.25)]
    public async Task Speed_Pcm_ChangesTheDurationByTheFactor(double speed)
    {
        using var response = await SendAsync("/v1/audio/speech", Speech("pcm", speed));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var samples = (await response.Content.ReadAsByteArrayAsync(Ct)).Length / 2;
        AssertNear(Samples / speed, samples);
    }

    [Fact]
    public async Task Speed_Wav_IsAWavOfTheStretchedLength()
    {
        using var response = await SendAsync("/v1/audio/speech", Speech("wav", 0.5));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (rate, _, samples) = ReadWav(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(Rate, rate);
        AssertNear(Samples * 2, samples);
    }

    [Fact]
    public async Task Speed_Mp3_IsShorterByTheFactor()
    {
        using var response = await SendAsync("/v1/audio/speech", Speech("mp3", 4.0));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, _, samples) = IndependentDecoders.Mp3(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.InRange(samples, (Samples / 4) - Mp3Frame, (Samples / 4) + Mp3Frame + Mp3EncoderDelay);
    }

    [Theory]
    [InlineData("""{"input":"hi","response_format":"ogg"}""", 400, "invalid_request")]
    [InlineData("""{"input":"hi","response_format":"MP3"}""", 400, "invalid_request")]
    [InlineData("""{"input":"hi","speed":4.5}""", 400, "invalid_options")]
    [InlineData("""{"input":"hi","speed":0.2}""", 400, "invalid_options")]
    [InlineData("""{"input":"hi","speed":"fast"}""", 400, "invalid_request")]
    public async Task BadFormatOrSpeed_Is400_WithAStableCode_AndStartsNoSession(string body, int status, string code)
    {
        using var response = await SendAsync("/v1/audio/speech", body);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(_server.Backend.Sessions);
    }

    [Fact]
    public async Task Tts_Flac_IsAWholeFlacBody_AndTheSessionIsAskedForPcm16()
    {
        using var response = await SendAsync("/v1/tts", $$$"""{"text":"{{{Input}}}","output_format":{"encoding":"flac"}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/flac", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("flac", response.Headers.GetValues("X-Encoding").Single());
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal(Samples, await IndependentDecoders.FfmpegSamplesAsync(body, "flac", Ct));
        Assert.Equal("pcm_s16le", _server.Backend.Sessions.Single().Start.Output.Encoding);
    }

    [Fact]
    public async Task TtsStream_Mp3At16k_IsStreamedAt16k()
    {
        using var response = await SendAsync("/v1/tts/stream", $$$"""{"text":"{{{Input}}}","output_format":{"encoding":"mp3","sample_rate":16000}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal("16000", response.Headers.GetValues("X-Sample-Rate").Single());
        var (rate, _, samples) = IndependentDecoders.Mp3(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(16000, rate);

        // The fake session makes 240-sample chunks at whatever rate it is asked for.
        Assert.InRange(samples, Samples, Samples + Mp3Frame + Mp3EncoderDelay);
        Assert.Equal(16000, _server.Backend.Sessions.Single().Start.Output.SampleRate);
    }

    [Fact]
    public async Task Tts_OggOpusAtARateOpusDoesNotCode_IsInvalidOptions()
    {
        using var response = await SendAsync("/v1/tts", """{"text":"hi","output_format":{"encoding":"ogg_opus","sample_rate":22050}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_options", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(_server.Backend.Sessions);
    }

    [Fact]
    public async Task Readyz_NamesTheEncoder()
    {
        _server.Backend.Ready = true;
        var ready = await _server.Http.GetFromJsonAsync<JsonElement>(new Uri("/readyz", UriKind.Relative), Ct);
        Assert.Equal("ffmpeg", ready.GetProperty("audio_encoder").GetString());
    }

    [Fact]
    public async Task NoFfmpeg_ContainerFormatsAreEncoderUnavailable_OthersStillWork()
    {
        await using var server = await GatewayServer.StartAsync(o => o.FfmpegPath = Path.Combine(Path.GetTempPath(), "no-such-ffmpeg-" + Guid.NewGuid().ToString("N")));
        using var mp3 = await server.Http.PostAsync(new Uri("/v1/audio/speech", UriKind.Relative), Json("""{"input":"hi"}"""), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, mp3.StatusCode);
        Assert.Equal("encoder_unavailable", (await mp3.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(server.Backend.Sessions);

        using var wav = await server.Http.PostAsync(new Uri("/v1/audio/speech", UriKind.Relative), Json("""{"input":"hi","response_format":"wav"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, wav.StatusCode);

        server.Backend.Ready = true;
        var ready = await server.Http.GetFromJsonAsync<JsonElement>(new Uri("/readyz", UriKind.Relative), Ct);
        Assert.StartsWith("unavailable", ready.GetProperty("audio_encoder").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EncodersAllInUse_NextRequestIsBusy_BeforeAnySessionStarts()
    {
        await using var server = await GatewayServer.StartAsync(o => o.MaxEncoderProcesses = 1);
        using var first = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech") { Content = Json("""{"input":"slow speech"}""") };
        using var streaming = await server.Http.SendAsync(first, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, streaming.StatusCode);

        // The first response holds the only encoder until it ends (its headers are out, so its encoder is running).
        using var second = await server.Http.PostAsync(new Uri("/v1/audio/speech", UriKind.Relative), Json("""{"input":"hi"}"""), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("busy", await second.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Single(server.Backend.Sessions);
    }

    private static string Speech(string format, double speed = 1.0) =>
        JsonSerializer.Serialize(new { model = "tts-1", input = Input, voice = "nova", response_format = format, speed });

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static (int Rate, int Bits, int Samples) ReadWav(byte[] wav)
    {
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(wav, 8, 4));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(20)));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)));
        var bits = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34));
        var dataBytes = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40));
        Assert.Equal(wav.Length - 44, dataBytes);
        return (BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)), bits, dataBytes / (bits / 8));
    }

    /// <summary>atempo keeps the length to within a few of its 20-40 ms windows per stage.</summary>
    private static void AssertNear(double expected, int actual) =>
        Assert.InRange(actual, (expected * 0.98) - 2048, (expected * 1.02) + 2048);

    private Task<HttpResponseMessage> SendAsync(string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(json) };
        // Headers as they come: a buffered read would add a Content-Length the server never sent.
        return _server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
    }
}
