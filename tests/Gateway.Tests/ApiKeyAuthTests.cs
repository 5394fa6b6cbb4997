using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sawt.Contracts.Voices;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// API keys on real Kestrel over the fake cluster: the three ways to present a key, missing and wrong keys (401 on
/// HTTP and at the WebSocket handshake), open probes, the tenant reaching the session start, and open mode.
/// </summary>
[Trait("Category", "Gateway")]
public sealed class ApiKeyAuthTests : IAsyncLifetime
{
    private const string AcmeKey = "acme-key-0123456789abcdef";
    private const string GlobexKey = "globex-key-0123456789abcdef";
    private const string WrongKey = "not-a-key-0123456789abcdef";

    private static readonly Dictionary<string, string?> TwoTenants = new()
    {
        ["Sawt:Auth:Keys:0:Key"] = AcmeKey,
        ["Sawt:Auth:Keys:0:Tenant"] = "acme",
        ["Sawt:Auth:Keys:0:Name"] = "acme's app",
        ["Sawt:Auth:Keys:1:Key"] = GlobexKey,
        ["Sawt:Auth:Keys:1:Tenant"] = "globex",
    };

    private GatewayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GatewayServer.StartAsync(settings: TwoTenants);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> KeyForms => ["bearer", "xi-api-key", "query"];

    [Theory]
    [MemberData(nameof(KeyForms))]
    public async Task Auth_EachKeyForm_IsAccepted_AndItsTenantReachesTheSession(string form)
    {
        var path = form == "query" ? "/v1/tts?api_key=" + AcmeKey : "/v1/tts";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent("""{"text":"hi"}""", Encoding.UTF8, "application/json"),
        };
        if (form == "bearer")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AcmeKey);
        }
        else if (form == "xi-api-key")
        {
            request.Headers.Add("xi-api-key", AcmeKey);
        }

        var response = await _server.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("acme", _server.Backend.Sessions.Single().Start.Tenant);
    }

    [Theory]
    [InlineData("POST", "/v1/tts")]
    [InlineData("POST", "/v1/tts/stream")]
    [InlineData("POST", "/v1/audio/speech")]
    [InlineData("GET", "/tts/stream?text=hi")]
    [InlineData("GET", "/v1/voices")]
    [InlineData("GET", "/v1/voices/default")]
    [InlineData("POST", "/v1/voices")]
    [InlineData("PUT", "/v1/voices/bob")]
    [InlineData("DELETE", "/v1/voices/bob")]
    [InlineData("GET", "/v1//voices")]
    [InlineData("GET", "/V1/VOICES")]
    [InlineData("GET", "/nothing/here")]
    public async Task Auth_MissingOrWrongKey_Is401Unauthorized_WithABearerChallenge(string method, string path)
    {
        foreach (var key in new string?[] { null, WrongKey, AcmeKey + "x" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
            if (method is "POST" or "PUT")
            {
                request.Content = new StringContent("""{"text":"hi","input":"hi"}""", Encoding.UTF8, "application/json");
            }

            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            var response = await _server.Http.SendAsync(request, Ct);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("unauthorized", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Empty(_server.Backend.Sessions);
        Assert.DoesNotContain(_server.Logs.Entries, e => e.Message.Contains(WrongKey, StringComparison.Ordinal) || e.Message.Contains(AcmeKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auth_OtherSchemeThanBearer_IsNotAKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/voices", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", AcmeKey);

        var response = await _server.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/ws")]
    [InlineData("/ws/tts")]
    public async Task Auth_WebSocketWithoutOrWithWrongKey_IsRefusedAtTheHandshake(string path)
    {
        foreach (var query in new[] { string.Empty, "?api_key=" + WrongKey })
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;

            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_server.Ws(path + query), Ct));

            Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
        }
    }

    [Fact]
    public async Task Auth_WebSocketWithQueryKey_StartsSessionsInItsTenant()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws?api_key=" + GlobexKey));
        await client.SendAsync(new { type = "synthesize", context_id = "c1", text = "hello there", language = "ar" });
        var contexts = await client.ReadContextsAsync(["c1"], TimeSpan.FromSeconds(20));

        Assert.Contains(contexts["c1"], m => m.Type == "done");
        Assert.Equal("globex", _server.Backend.Sessions.Single().Start.Tenant);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/")]
    [InlineData("/playground.js")]
    public async Task Auth_ProbesAndDemoPage_StayOpen(string path)
    {
        var response = await _server.Http.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Auth_KeysConfigured_AreLoggedAsCountsOnly_NeverTheKeys()
    {
        var line = Assert.Single(_server.Logs.WithEventId(1028));
        Assert.Contains("2 keys for 2 tenants", line.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Logs.WithEventId(1027));
        await Task.CompletedTask;
    }

    [Fact]
    public void OperatorFilters_DropTheFrameworksRequestLines_WhichCarryQueryKeys()
    {
        using var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new CapturedLogs()).AddSawtOperatorFilters())
            .BuildServiceProvider();
        var factory = services.GetRequiredService<ILoggerFactory>();

        Assert.False(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
        Assert.True(factory.CreateLogger("Sawt.Gateway.Http").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task Voices_AreScopedByTenant_AtTheGateway()
    {
        var wav = new byte[64];
        "RIFF"u8.CopyTo(wav);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Put, "/v1/voices/shared", AcmeKey, wav)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/v1/voices/shared", GlobexKey)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "/v1/voices/shared", GlobexKey)).StatusCode);
        var globexList = await (await SendAsync(HttpMethod.Get, "/v1/voices", GlobexKey)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("shared", globexList, StringComparison.Ordinal);
        Assert.Contains(VoiceKeys.Speaker("acme", "shared"), _server.Backend.Voices.Keys);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/v1/voices/shared", AcmeKey)).StatusCode);
    }

    [Fact]
    public async Task Auth_InvalidKeyConfiguration_FailsStart()
    {
        var bad = new Dictionary<string, string?> { ["Sawt:Auth:Keys:0:Key"] = "short", ["Sawt:Auth:Keys:0:Tenant"] = "a/b" };

        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => GatewayServer.StartAsync(settings: bad));

        Assert.Equal(2, error.Failures.Count());
        Assert.DoesNotContain("short", error.Message.Replace("Key must", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, byte[]? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add("xi-api-key", key);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        }

        return _server.Http.SendAsync(request, Ct);
    }
}
