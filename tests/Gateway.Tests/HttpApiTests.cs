using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>HTTP endpoints on real Kestrel over the fake cluster (<see cref="FakeSessionBackend"/>): gateway logic only.</summary>
[Trait("Category", "Gateway")]
public sealed class HttpApiTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GatewayServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        _server.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task Tts_Float32_IsAWholeFloatWav()
    {
        var response = await PostJsonAsync("/v1/tts", """{"text":"مرحبا","language":"ar"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(body, 0, 4));
        Assert.Equal(3, BinaryPrimitives.ReadInt16LittleEndian(body.AsSpan(20)));
        Assert.Equal(24000, BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(24)));
        Assert.Equal(4 * 240 * (1 + 2 + 3 + 4), BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(40)));
        Assert.Equal(44 + (4 * 240 * 10), body.Length);
    }

    [Fact]
    public async Task Tts_Pcm16_IsPcmWav_AndMulawIsRaw()
    {
        var wav = await PostJsonAsync("/v1/tts", """{"text":"hi","output_format":{"encoding":"pcm_s16le","sample_rate":16000}}""");
        var body = await wav.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(body.AsSpan(20)));
        Assert.Equal(16000, BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(24)));
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(body.AsSpan(34)));

        var raw = await PostJsonAsync("/v1/tts", """{"text":"hi","output_format":{"encoding":"mulaw"}}""");
        Assert.Equal("audio/basic", raw.Content.Headers.ContentType?.MediaType);
        Assert.Equal("8000", raw.Headers.GetValues("X-Sample-Rate").Single());
        Assert.Equal(240 * 10, (await raw.Content.ReadAsByteArrayAsync(Ct)).Length);
    }

    [Fact]
    public async Task TtsStream_StreamsTheEncodedChunks()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tts/stream")
        {
            Content = new StringContent("""{"text":"chunks:5 streaming","output_format":{"encoding":"pcm_s16le"}}""", Encoding.UTF8, "application/json"),
        };
        using var response = await _server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/pcm", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("pcm_s16le", response.Headers.GetValues("X-Encoding").Single());
        Assert.Null(response.Content.Headers.ContentLength);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(2 * 240 * 15, body.Length);
    }

    [Theory]
    [InlineData("/v1/tts", "{oops", 400, "invalid_json")]
    [InlineData("/v1/tts", """{"language":"ar"}""", 400, "invalid_request")]
    [InlineData("/v1/tts", """{"text":"hi","voice":"nobody"}""", 404, "unknown_voice")]
    [InlineData("/v1/tts", """{"text":"hi","language":"xx"}""", 400, "unsupported_language")]
    [InlineData("/v1/tts", """{"text":"fail:deadline_exceeded"}""", 504, "deadline_exceeded")]
    [InlineData("/v1/tts/stream", """{"text":"reject:invalid_options"}""", 400, "invalid_options")]
    [InlineData("/v1/tts/stream", """{"text":"hi","voice":"nobody"}""", 404, "unknown_voice")]
    [InlineData("/v1/audio/speech", """{"model":"tts-1","input":"hi","response_format":"ogg"}""", 400, "invalid_request")]
    [InlineData("/v1/audio/speech", """{"model":"tts-1","input":"hi","speed":5.0}""", 400, "invalid_options")]
    [InlineData("/v1/audio/speech", """{"model":"tts-1"}""", 400, "invalid_request")]
    public async Task BadRequests_GetJsonErrorsWithFittingStatus(string path, string body, int status, string code)
    {
        var response = await PostJsonAsync(path, body);
        Assert.Equal(status, (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("retryable", out _));
    }

    [Fact]
    public async Task TextTooLong_Is400()
    {
        var response = await PostJsonAsync("/v1/tts", JsonSerializer.Serialize(new { text = new string('x', 5001) }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("text_too_long", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Busy_Is429_WithRetryAfter()
    {
        var response = await PostJsonAsync("/v1/tts", """{"text":"reject:busy"}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");
        Assert.True(error.GetProperty("retryable").GetBoolean());
    }

    [Fact]
    public async Task OpenAiSpeech_Wav_IsPcm16At24k_AndOpenAiVoicesMapToDefault()
    {
        var response = await PostJsonAsync("/v1/audio/speech", """{"model":"tts-1","input":"Hello","voice":"alloy","response_format":"wav","speed":1.0}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(body, 0, 4));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(body.AsSpan(20)));
        Assert.Equal(24000, BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(24)));
        var session = _server.Backend.Sessions.Single();
        Assert.Equal("default", session.Start.VoiceId);
        Assert.Equal("ar", session.Start.Language);
        Assert.Equal("pcm_s16le", session.Start.Output.Encoding);
    }

    [Fact]
    public async Task OpenAiSpeech_Pcm_IsRawPcm16()
    {
        var response = await PostJsonAsync("/v1/audio/speech", """{"model":"tts-1","input":"Hello","voice":"nova","response_format":"pcm","language":"en"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2 * 240 * 10, (await response.Content.ReadAsByteArrayAsync(Ct)).Length);
        Assert.Equal("en", _server.Backend.Sessions.Single().Start.Language);
    }

    [Fact]
    public async Task Voices_EnrollThenExists_UnknownIs404_BadAudioIs400()
    {
        var wav = new byte[64];
        "RIFF"u8.CopyTo(wav);
        var created = await _server.Http.PostAsync(new Uri("/v1/voices/bob", UriKind.Relative), new ByteArrayContent(wav), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync(new Uri("/v1/voices/bob", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync(new Uri("/v1/voices/alice", UriKind.Relative), Ct)).StatusCode);

        var bad = await _server.Http.PostAsync(new Uri("/v1/voices/carol", UriKind.Relative), new ByteArrayContent([1, 2, 3]), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("unreadable_audio", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var badId = await _server.Http.PostAsync(new Uri("/v1/voices/bad%20id", UriKind.Relative), new ByteArrayContent(wav), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);

        // The enrolled voice is usable.
        var speech = await PostJsonAsync("/v1/tts", """{"text":"hi","voice":"bob"}""");
        Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
    }

    [Fact]
    public async Task Healthz_IsAlive_ReadyzIs503UntilTheBackendIsReady()
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync(new Uri("/healthz", UriKind.Relative), Ct)).StatusCode);
        var notReady = await _server.Http.GetAsync(new Uri("/readyz", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("not_ready", await notReady.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        _server.Backend.Ready = true;
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync(new Uri("/readyz", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task DemoPage_IsServedAtRoot()
    {
        var page = await _server.Http.GetStringAsync(new Uri("/", UriKind.Relative), Ct);
        Assert.Contains("/v1/ws", page, StringComparison.Ordinal);
        Assert.Contains("pcm_f32le", page, StringComparison.Ordinal);
        Assert.Contains("src=\"/playground.js\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaygroundScript_IsServed_AsTheBundledClient()
    {
        using var response = await _server.Http.GetAsync(new Uri("/playground.js", UriKind.Relative), Ct);
        var script = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("var SawtClient = class", script, StringComparison.Ordinal);
        Assert.Contains("/v1/ws", script, StringComparison.Ordinal);
    }
}
