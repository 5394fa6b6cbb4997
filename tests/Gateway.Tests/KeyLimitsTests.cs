using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// Limits per API key on real Kestrel with real WebSocket clients over the fake cluster: a key over its request rate
/// or its running contexts gets <c>rate_limited</c> (HTTP 429 with Retry-After and the JSON body; a WebSocket
/// <c>error</c>, retryable, with a retry hint) while another key is served as before. Each test gets a fresh server,
/// so fresh budgets. The rate keys refill one request every 20 s or more; every test is bounded well below that.
/// </summary>
[Trait("Category", "Gateway")]
public sealed class KeyLimitsTests : IAsyncLifetime
{
    /// <summary>Three requests per minute, no context limit.</summary>
    private const string RateKey = "rate-key-0123456789abcdef";
    private const int RateKeyRequests = 3;

    /// <summary>Two running contexts, no request limit.</summary>
    private const string ContextKey = "context-key-0123456789abcdef";
    private const int ContextKeyContexts = 2;

    /// <summary>Same tenant as <see cref="ContextKey"/>, the section's defaults: limits are per key, not per tenant.</summary>
    private const string SiblingKey = "sibling-key-0123456789abcdef";

    /// <summary>Another tenant with the section's defaults.</summary>
    private const string OtherKey = "other-key-0123456789abcdef";

    private static readonly Dictionary<string, string?> Keys = new()
    {
        ["Sawt:Auth:Keys:0:Key"] = RateKey,
        ["Sawt:Auth:Keys:0:Tenant"] = "acme",
        ["Sawt:Auth:Keys:0:RequestsPerMinute"] = RateKeyRequests.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Sawt:Auth:Keys:0:MaxConcurrentContexts"] = "0",
        ["Sawt:Auth:Keys:1:Key"] = ContextKey,
        ["Sawt:Auth:Keys:1:Tenant"] = "globex",
        ["Sawt:Auth:Keys:1:RequestsPerMinute"] = "0",
        ["Sawt:Auth:Keys:1:MaxConcurrentContexts"] = ContextKeyContexts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Sawt:Auth:Keys:2:Key"] = SiblingKey,
        ["Sawt:Auth:Keys:2:Tenant"] = "globex",
        ["Sawt:Auth:Keys:3:Key"] = OtherKey,
        ["Sawt:Auth:Keys:3:Tenant"] = "initech",
    };

    private GatewayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GatewayServer.StartAsync(settings: Keys);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Http_KeyOverItsRate_Is429RateLimited_WithRetryAfterAndBody_WhileOtherKeysAreServed()
    {
        for (var i = 0; i < RateKeyRequests; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/v1/voices", RateKey)).StatusCode);
        }

        var refused = await GetAsync("/v1/voices", RateKey);
        var refusedSynthesis = await PostTtsAsync(RateKey);

        foreach (var response in new[] { refused, refusedSynthesis })
        {
            Assert.Equal((HttpStatusCode)429, response.StatusCode);
            var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
            Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
            var error = await ErrorAsync(response);
            Assert.Equal("rate_limited", error.GetProperty("code").GetString());
            Assert.True(error.GetProperty("retryable").GetBoolean());
            Assert.InRange(error.GetProperty("retry_after_ms").GetInt64(), 1000, 60_000);
        }

        Assert.Empty(_server.Backend.Sessions);
        for (var i = 0; i < 2 * RateKeyRequests; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/v1/voices", OtherKey)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await PostTtsAsync(OtherKey)).StatusCode);
        Assert.DoesNotContain(_server.Logs.Entries, e => e.Message.Contains(RateKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebSocket_TextOverTheKeysRate_IsRateLimited_TheContextGoesOn_AndEndStillWorks()
    {
        // The handshake is the key's first request, the synthesize its second, the first text its third.
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws?api_key=" + RateKey));
        await client.SendAsync(new { type = "synthesize", context_id = "c1", incremental = true, language = "ar" });
        Assert.Equal("started", (await client.ReceiveJsonAsync()).Type);
        await client.SendAsync(new { type = "text", context_id = "c1", text = "first" });
        await client.SendAsync(new { type = "text", context_id = "c1", text = "second" });

        var error = await client.NextErrorAsync();
        AssertRateLimited(error, "c1", contextEnded: false);

        await client.SendAsync(new { type = "synthesize", context_id = "c2", text = "hello", language = "ar" });
        AssertRateLimited(await client.NextErrorAsync(), "c2", contextEnded: true);

        // end takes nothing from the rate: a limited client can always finish what it started.
        await client.SendAsync(new { type = "end", context_id = "c1" });
        var messages = (await client.ReadContextsAsync(["c1"], TimeSpan.FromSeconds(20)))["c1"];
        Assert.Equal("done", messages[^1].Type);
        var session = Assert.Single(_server.Backend.Sessions);
        Assert.Equal(new[] { "first" }, session.Appended);
    }

    [Fact]
    public async Task WebSocket_ContextsOverTheKeysLimit_AreRateLimited_AcrossSockets_AndFreedWhenOneEnds()
    {
        await using var first = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws?api_key=" + ContextKey));
        await using var second = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws?api_key=" + ContextKey));
        await StartIncrementalAsync(first, "a");
        await StartIncrementalAsync(second, "b");

        foreach (var client in new[] { first, second })
        {
            await client.SendAsync(new { type = "synthesize", context_id = "c", text = "hello", language = "ar" });
            var error = await client.ReceiveJsonAsync();
            AssertRateLimited(error, "c", contextEnded: true);
            Assert.Equal(1000, error.Get("retry_after_ms").GetInt64());
        }

        // Another key, of the same tenant or another, has its own budget.
        foreach (var key in new[] { SiblingKey, OtherKey })
        {
            await using var other = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws?api_key=" + key));
            for (var i = 0; i < ContextKeyContexts + 1; i++)
            {
                await StartIncrementalAsync(other, "o" + i);
            }
        }

        // The key's slot is free once the client sees the terminal message of one of its contexts.
        await first.SendAsync(new { type = "cancel", context_id = "a" });
        Assert.Equal("cancelled", (await first.ReadContextsAsync(["a"], TimeSpan.FromSeconds(20)))["a"][^1].Type);
        await StartIncrementalAsync(second, "c");
        await second.SendAsync(new { type = "synthesize", context_id = "d", text = "hello", language = "ar" });
        AssertRateLimited(await second.ReceiveJsonAsync(), "d", contextEnded: true);
    }

    [Fact]
    public async Task Http_SynthesisOverTheKeysContexts_Is429_SharingTheBudgetWithWebSocketContexts()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws?api_key=" + ContextKey));
        await StartIncrementalAsync(client, "a");
        await StartIncrementalAsync(client, "b");

        foreach (var path in new[] { "/v1/tts", "/v1/tts/stream", "/v1/audio/speech" })
        {
            var refused = await PostTtsAsync(ContextKey, path);
            Assert.Equal((HttpStatusCode)429, refused.StatusCode);
            Assert.Equal("1", Assert.Single(refused.Headers.GetValues("Retry-After")));
            Assert.Equal("rate_limited", (await ErrorAsync(refused)).GetProperty("code").GetString());
        }

        var compat = await GetAsync("/tts/stream?text=hi", ContextKey);
        Assert.Equal((HttpStatusCode)429, compat.StatusCode);
        Assert.Equal(2, _server.Backend.Sessions.Count);
        Assert.Equal(HttpStatusCode.OK, (await PostTtsAsync(SiblingKey)).StatusCode);

        await client.SendAsync(new { type = "end", context_id = "a" });
        Assert.Equal("done", (await client.ReadContextsAsync(["a"], TimeSpan.FromSeconds(20)))["a"][^1].Type);
        Assert.Equal(HttpStatusCode.OK, (await PostTtsAsync(ContextKey)).StatusCode);
    }

    [Fact]
    public async Task CompatSocket_RequestOverTheKeysContexts_GetsRateLimited_AndCloses()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws?api_key=" + ContextKey));
        await StartIncrementalAsync(client, "a");
        await StartIncrementalAsync(client, "b");
        await using var compat = await ProtocolClient.ConnectAsync(_server.Ws("/ws/tts?api_key=" + ContextKey));

        await compat.SendAsync(new { text = "hello", language_id = "ar" });

        var error = await compat.ReceiveJsonAsync();
        Assert.Equal(("error", "rate_limited", true), (error.Get("status").GetString(), error.Get("code").GetString(), error.Get("retryable").GetBoolean()));
        Assert.Null(await compat.ReceiveAsync());
        Assert.Equal("rate_limited", compat.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Limits_NegativeValues_FailStart()
    {
        var bad = new Dictionary<string, string?>(Keys)
        {
            ["Sawt:Auth:RequestsPerMinute"] = "-1",
            ["Sawt:Auth:Keys:1:MaxConcurrentContexts"] = "-2",
        };

        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => GatewayServer.StartAsync(settings: bad));

        Assert.Equal(2, error.Failures.Count());
    }

    private static void AssertRateLimited(Received error, string contextId, bool contextEnded)
    {
        Assert.Equal("error", error.Type);
        Assert.Equal("rate_limited", error.Code);
        Assert.Equal(contextId, error.ContextId);
        Assert.Equal(contextEnded, error.Get("context_ended").GetBoolean());
        Assert.True(error.Get("retryable").GetBoolean());
        Assert.True(error.Get("retry_after_ms").GetInt64() >= 1000);
    }

    /// <summary>An incremental context holds its slot and produces nothing until it is fed, so nothing depends on timing.</summary>
    private static async Task StartIncrementalAsync(ProtocolClient client, string contextId)
    {
        await client.SendAsync(new { type = "synthesize", context_id = contextId, incremental = true, language = "ar" });
        var started = await client.ReceiveJsonAsync();
        Assert.True(started.Type == "started" && started.ContextId == contextId, started.Json.ToString());
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await _server.Http.SendAsync(request, Ct);
    }

    private async Task<HttpResponseMessage> PostTtsAsync(string key, string path = "/v1/tts")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent("""{"text":"hello","input":"hello","response_format":"wav"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("xi-api-key", key);
        return await _server.Http.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return body.RootElement.GetProperty("error").Clone();
    }
}
