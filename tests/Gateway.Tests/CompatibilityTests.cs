using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// The user's guide's endpoints (<c>/ws/tts</c>, <c>GET /tts/stream</c>) on real Kestrel over the fake cluster
/// (<see cref="FakeSessionBackend"/>): shapes and framing, not synthesis.
/// </summary>
[Trait("Category", "Gateway")]
public sealed class CompatibilityTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GatewayServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task WsTts_SendsFloat32ChunksThenComplete_ForEachRequestInTurn()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/ws/tts"));
        foreach (var text in new[] { "مرحباً بكم في العالم العربي", "chunks:2 again" })
        {
            await client.SendAsync(new { text, language_id = "ar" });
            var bytes = new List<int>();
            Received message;
            while ((message = (await client.ReceiveAsync())!).Binary is { } binary)
            {
                Assert.Equal(0, binary.Length % 4);
                bytes.Add(binary.Length);
            }

            Assert.Equal("complete", message.Get("status").GetString());
            Assert.True(message.Get("latency_ms").GetDouble() >= 0);
            Assert.NotEmpty(bytes);
        }

        var sessions = _server.Backend.Sessions.ToList();
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s => Assert.Equal(("pcm_f32le", 24000, "ar", "default"), (s.Start.Output.Encoding, s.Start.Output.SampleRate, s.Start.Language, s.Start.VoiceId)));
    }

    [Fact]
    public async Task WsTts_SpeakerIdAndDefaultLanguage_AreHonoured_AndErrorsClose()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/ws/tts"));
        await client.SendAsync(new { text = "hi", speaker_id = "nobody" });
        var error = await client.ReceiveJsonAsync();
        Assert.Equal(("error", "unknown_voice"), (error.Get("status").GetString(), error.Get("code").GetString()));
        Assert.Null(await client.ReceiveAsync());
        Assert.Equal("unknown_voice", client.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task TtsStream_StreamsRawFloat32WithTheGuidesHeaders()
    {
        var uri = new Uri("/tts/stream?text=" + Uri.EscapeDataString("مرحبا") + "&language_id=ar", UriKind.Relative);
        using var response = await _server.Http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/raw", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("24000", response.Headers.GetValues("X-Sample-Rate").Single());
        Assert.Equal("1", response.Headers.GetValues("X-Channels").Single());
        Assert.Equal("float32", response.Headers.GetValues("X-Format").Single());
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal(4 * 240 * 10, body.Length);
        Assert.Equal("ar", _server.Backend.Sessions.Single().Start.Language);
    }

    [Theory]
    [InlineData("{\"text\":\"a\\ud800\"}", "invalid_text")]
    [InlineData("{\"text\":\"hi\",\"language_id\":\"\\u0000\"}", "invalid_text")]
    [InlineData("{\"text\":\"hi\",\"speaker_id\":\"\\ufffe\"}", "invalid_text")]
    [InlineData("{\"text\":\"hi\",\"speaker_id\":7}", "invalid_request")]
    [InlineData("{\"text\":[\"hi\"]}", "invalid_request")]
    [InlineData("[\"hi\"]", "invalid_request")]
    [InlineData("{hi", "invalid_json")]
    public async Task WsTts_BadMessage_GetsTheErrorStatus_ThenClose1000WithTheCode_AndNoAudio(string message, string code)
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/ws/tts"));
        await client.SendTextAsync(message);
        var error = await client.ReceiveJsonAsync();
        Assert.Equal(("error", code, false), (error.Get("status").GetString(), error.Get("code").GetString(), error.Get("retryable").GetBoolean()));
        Assert.Null(await client.ReceiveAsync());
        Assert.Equal((WebSocketCloseStatus.NormalClosure, code), (client.Socket.CloseStatus, client.Socket.CloseStatusDescription));
        Assert.Empty(_server.Backend.Sessions);
    }

    [Theory]
    [InlineData("?text=%", "invalid_request")]
    [InlineData("?text=a%G1", "invalid_request")]
    [InlineData("?text=a&text=b", "invalid_request")]
    [InlineData("?text=a%FFb", "invalid_text")]
    [InlineData("?text=%ED%A0%80", "invalid_text")]
    [InlineData("?text=a%00", "invalid_text")]
    [InlineData("?text=hi&speaker_id=%EF%BF%BF", "invalid_text")]
    [InlineData("?text=hi&language_id=%C3", "invalid_text")]
    [InlineData("?text=hi&speaker_id=..%2Fetc", "invalid_request")]
    public async Task TtsStream_BadQuery_Is400WithItsCode(string query, string code)
    {
        // As written: System.Uri would otherwise repair a malformed escape ('%' to '%25') before sending.
        var uri = new Uri(_server.HttpBase + "tts/stream" + query, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var response = await _server.Http.GetAsync(uri, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(code, body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(_server.Backend.Sessions);
    }

    [Fact]
    public async Task TtsStream_WithoutText_Is400()
    {
        var response = await _server.Http.GetAsync(new Uri("/tts/stream", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("invalid_request", body.RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
