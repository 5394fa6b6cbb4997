using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// Hostile input over HTTP on real Kestrel and the fake cluster (<see cref="FakeSessionBackend"/>): every error is a
/// JSON body with a documented code, whatever produced it (a refusal, the framework, a gateway failure), and what a
/// client does wrong is never logged above Debug.
/// </summary>
[Trait("Category", "Gateway")]
public sealed class HttpBadInputTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await GatewayServer.StartAsync(o => o.MaxVoiceUploadBytes = 1024);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string> BrokenStringBodies()
    {
        var data = new TheoryData<string, string>();
        var bodies = new (string Path, string Template)[]
        {
            ("/v1/tts", """{"text":"{0}"}"""),
            ("/v1/tts", """{"text":"hi","language":"{0}"}"""),
            ("/v1/tts", """{"text":"hi","voice":"{0}"}"""),
            ("/v1/tts", """{"text":"hi","output_format":{"encoding":"{0}"}}"""),
            ("/v1/tts/stream", """{"text":"{0}"}"""),
            ("/v1/audio/speech", """{"input":"{0}"}"""),
            ("/v1/audio/speech", """{"input":"hi","voice":"{0}"}"""),
            ("/v1/audio/speech", """{"input":"hi","response_format":"{0}"}"""),
            ("/v1/audio/speech", """{"input":"hi","language":"{0}"}"""),
        };
        foreach (var (path, template) in bodies)
        {
            foreach (var broken in new[] { "\\ud800", "\\udfff", "\\ufffe", "\\u0000", "\\ufdef" })
            {
                data.Add(path, template.Replace("{0}", broken, StringComparison.Ordinal));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BrokenStringBodies))]
    public async Task JsonBody_StringNotValidText_Is400InvalidText(string path, string body)
    {
        var error = await ErrorAsync(await PostAsync(path, Encoding.UTF8.GetBytes(body)), 400, "invalid_text");
        Assert.Contains("offset", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_server.Backend.Sessions);
        Assert.Empty(_server.Logs.Problems);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task JsonBody_InvalidUtf8InsideAString_Is400InvalidText_NamingFieldAndOffset(byte[] bad)
    {
        byte[] body = [.. "{\"text\":\"ab"u8, .. bad, .. "\"}"u8];
        var error = await ErrorAsync(await PostAsync("/v1/tts", body), 400, "invalid_text");
        Assert.Equal("Field 'text' is not valid text: invalid UTF-8 at UTF-16 offset 2.", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/v1/tts", """{"text":"hi","output_format":{"encoding":"pcm_s16le","sample_rate":"fast"}}""")]
    [InlineData("/v1/tts", """{"text":"hi","sampling":{"seed":-1}}""")]
    [InlineData("/v1/tts", """{"text":"hi","chunking":{"schedule":[1,"2"]}}""")]
    [InlineData("/v1/audio/speech", """{"input":"hi","speed":"1.0"}""")]
    public async Task JsonBody_OneBadFieldAmongGoodOnes_IsRefusedWhole_BeforeAnySession(string path, string body)
    {
        await ErrorAsync(await PostAsync(path, Encoding.UTF8.GetBytes(body)), 400, "invalid_request");
        Assert.Empty(_server.Backend.Sessions);
    }

    [Fact]
    public async Task UnexpectedFailure_Is500JsonInternalError_LoggedOnceAtError()
    {
        var response = await _server.Http.GetAsync(new Uri("/v1/voices/" + FakeSessionBackend.ExplodingVoice, UriKind.Relative), Ct);
        var error = await ErrorAsync(response, 500, "internal_error");
        Assert.False(error.GetProperty("retryable").GetBoolean());

        var logged = Assert.Single(_server.Logs.Problems);
        Assert.Equal((LogLevel.Error, 1024), (logged.Level, logged.EventId.Id));
        Assert.Contains("/v1/voices/{id}", logged.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(logged.Exception);
    }

    [Theory]
    [InlineData("GET", "/nothing/here", 404, "not_found")]
    [InlineData("GET", "/v1/voices/..", 404, "not_found")]
    [InlineData("GET", "/v1/voices/%2e%2e", 404, "not_found")]
    [InlineData("GET", "/v1/voices/a/b", 404, "not_found")]
    [InlineData("POST", "/v1/voices/..", 404, "not_found")]
    [InlineData("GET", "/v1/tts", 405, "method_not_allowed")]
    [InlineData("PATCH", "/v1/voices/bob", 405, "method_not_allowed")]
    [InlineData("DELETE", "/v1/voices/nobody", 404, "unknown_voice")]
    [InlineData("DELETE", "/v1/voices/default", 400, "invalid_request")]
    [InlineData("PUT", "/v1/voices/default", 400, "invalid_request")]
    [InlineData("POST", "/healthz", 405, "method_not_allowed")]
    [InlineData("GET", "/v1/voices/%EF%BF%BE", 400, "invalid_text")]
    [InlineData("GET", "/v1/voices/%FF", 400, "invalid_request")]
    [InlineData("GET", "/v1/voices/nobody", 404, "unknown_voice")]
    [InlineData("GET", "/v1/ws", 400, "invalid_request")]
    public async Task EveryErrorStatus_HasAJsonBody(string method, string path, int status, string code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method is "POST" or "PUT")
        {
            request.Content = new ByteArrayContent("RIFF...."u8.ToArray());
        }

        await ErrorAsync(await _server.Http.SendAsync(request, Ct), status, code);
        Assert.Empty(_server.Logs.Problems);
    }

    [Theory]
    [InlineData("reject-unreadable_audio", "unreadable_audio")]
    [InlineData("reject-unsupported_audio_format", "unsupported_audio_format")]
    [InlineData("reject-reference_audio_too_short", "reference_audio_too_short")]
    [InlineData("reject-reference_audio_too_long", "reference_audio_too_long")]
    [InlineData("reject-reference_audio_silent", "reference_audio_silent")]
    public async Task VoiceUpload_TheClustersAudioCodes_Are400(string voiceId, string code)
    {
        var response = await _server.Http.PostAsync(new Uri("/v1/voices/" + voiceId, UriKind.Relative), new ByteArrayContent("RIFF...."u8.ToArray()), Ct);
        await ErrorAsync(response, 400, code);
    }

    [Fact]
    public async Task VoiceUpload_OverMaxVoiceUploadBytes_Is413PayloadTooLarge_WithOrWithoutALength()
    {
        var sized = await _server.Http.PostAsync(new Uri("/v1/voices/big", UriKind.Relative), new ByteArrayContent(new byte[1025]), Ct);
        await ErrorAsync(sized, 413, "payload_too_large");

        var chunked = new StreamContent(new MemoryStream(new byte[4096]));
        chunked.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/voices/big") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await ErrorAsync(await _server.Http.SendAsync(request, Ct), 413, "payload_too_large");
    }

    [Fact]
    public async Task StalledBody_Is408RequestTimeout_LoggedAtDebugOnly()
    {
        await using var server = await GatewayServer.StartAsync(kestrel: k =>
            k.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 100, gracePeriod: TimeSpan.FromSeconds(1.5)));
        var answer = await RawRequestAsync(server, "POST /v1/tts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"text\":\"");

        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"request_timeout\"", answer, StringComparison.Ordinal);
        Assert.Empty(server.Logs.Problems);
        Assert.Single(server.Logs.WithEventId(1025));
    }

    [Fact]
    public async Task MalformedChunkedBody_Is400InvalidRequest_LoggedAtDebugOnly()
    {
        await using var server = await GatewayServer.StartAsync();
        var answer = await RawRequestAsync(server, "POST /v1/tts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n");

        Assert.True(answer.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), answer + string.Join("\n", server.Logs.Entries.Select(e => e.Category + " " + e.Level + " " + e.Message + " " + e.Exception?.Message)));
        Assert.Contains("\"code\":\"invalid_request\"", answer, StringComparison.Ordinal);
        Assert.Empty(server.Logs.Problems);
    }

    private Task<HttpResponseMessage> PostAsync(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return _server.Http.PostAsync(new Uri(path, UriKind.Relative), content, Ct);
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == (int)response.StatusCode, $"status {(int)response.StatusCode}, body {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("retryable", out _));
        return error.Clone();
    }

    /// <summary>Writes a raw request (HttpClient cannot stall a body or break chunking) and reads the answer, at most 10 s.</summary>
    private static async Task<string> RawRequestAsync(GatewayServer server, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.HttpBase.Host, server.HttpBase.Port, Ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                answer.Write(buffer, 0, read);
                if (Encoding.ASCII.GetString(answer.ToArray()).Contains("}}", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // The server may reset after answering.
        }

        return Encoding.UTF8.GetString(answer.ToArray());
    }
}
