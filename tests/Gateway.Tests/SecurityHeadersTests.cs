using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// Security headers on every response and the CORS policy, on real Kestrel: the demo page's Content-Security-Policy
/// allows exactly its own inline script and style (hashes recomputed here from the page as served), API answers load
/// nothing and cannot be framed; preflights from a configured origin are allowed, from any other origin (and from
/// every origin by default) they are not, and a preflight never needs an API key.
/// </summary>
[Trait("Category", "Gateway")]
public sealed partial class SecurityHeadersTests
{
    private const string AllowedOrigin = "https://app.example.com";
    private const string OtherOrigin = "https://evil.example.net";
    private const string Key = "acme-key-0123456789abcdef";

    private static readonly Dictionary<string, string?> KeyAndOrigin = new()
    {
        ["Sawt:Auth:Keys:0:Key"] = Key,
        ["Sawt:Auth:Keys:0:Tenant"] = "acme",
        ["Sawt:Gateway:CorsOrigins:0"] = AllowedOrigin,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/healthz")]
    [InlineData("GET", "/readyz")]
    [InlineData("GET", "/v1/voices")]
    [InlineData("POST", "/v1/tts")]
    [InlineData("GET", "/nothing/here")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string method, string path)
    {
        await using var server = await GatewayServer.StartAsync(settings: KeyAndOrigin);
        foreach (var key in new string?[] { Key, null })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
            if (key is not null)
            {
                request.Headers.Add("xi-api-key", key);
            }

            if (method == "POST")
            {
                request.Content = new StringContent("""{"text":"hi"}""", Encoding.UTF8, "application/json");
            }

            using var response = await server.Http.SendAsync(request, Ct);

            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            Assert.Equal("DENY", Header(response, "X-Frame-Options"));
            var policy = Header(response, "Content-Security-Policy");
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
            if (path != "/")
            {
                Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task DemoPage_Policy_AllowsExactlyItsInlineScriptAndStyle_AndItsOwnOrigin()
    {
        await using var server = await GatewayServer.StartAsync();
        using var response = await server.Http.GetAsync(new Uri("/", UriKind.Relative), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var policy = Header(response, "Content-Security-Policy");

        var directives = policy.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        // The playground's script is its own bundle (/playground.js, by origin), plus any inline script by its hash.
        Assert.Equal(string.Join(' ', ["script-src", "'self'", .. ScriptBlock().Matches(html).Select(Hash)]), directives["script-src"]);
        Assert.Equal("style-src " + Hash(StyleBlock().Match(html)), directives["style-src"]);
        Assert.Equal("connect-src 'self'", directives["connect-src"]);
        Assert.Equal("default-src 'none'", directives["default-src"]);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_PreflightFromAConfiguredOrigin_IsAllowed_WithoutAKey()
    {
        await using var server = await GatewayServer.StartAsync(settings: KeyAndOrigin);

        using var response = await PreflightAsync(server, AllowedOrigin);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        var allowedHeaders = Header(response, "Access-Control-Allow-Headers");
        Assert.Contains("authorization", allowedHeaders, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("xi-api-key", allowedHeaders, StringComparison.OrdinalIgnoreCase);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));

        // The actual request from that origin: the browser may read the answer and its Retry-After.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/voices", UriKind.Relative));
        request.Headers.Add("Origin", AllowedOrigin);
        request.Headers.Add("xi-api-key", Key);
        using var actual = await server.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, actual.StatusCode);
        Assert.Equal(AllowedOrigin, Header(actual, "Access-Control-Allow-Origin"));
        Assert.Contains("Retry-After", Header(actual, "Access-Control-Expose-Headers"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cors_OtherOrigins_AreDenied_AndByDefaultEveryCrossOrigin()
    {
        await using var configured = await GatewayServer.StartAsync(settings: KeyAndOrigin);
        await using var byDefault = await GatewayServer.StartAsync();

        foreach (var (server, origin) in new[] { (configured, OtherOrigin), (byDefault, OtherOrigin), (byDefault, AllowedOrigin) })
        {
            using var preflight = await PreflightAsync(server, origin);
            Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"), origin);

            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/voices", UriKind.Relative));
            request.Headers.Add("Origin", origin);
            request.Headers.Add("xi-api-key", Key);
            using var actual = await server.Http.SendAsync(request, Ct);
            Assert.False(actual.Headers.Contains("Access-Control-Allow-Origin"), origin);
        }
    }

    [Theory]
    [InlineData("https://app.example.com/")]
    [InlineData("https://app.example.com/path")]
    [InlineData("app.example.com")]
    [InlineData("ftp://app.example.com")]
    public async Task Cors_MalformedOrigin_FailsStart(string origin)
    {
        var settings = new Dictionary<string, string?> { ["Sawt:Gateway:CorsOrigins:0"] = origin };

        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => GatewayServer.StartAsync(settings: settings));

        Assert.Contains("CorsOrigins", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(GatewayServer server, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri("/v1/tts", UriKind.Relative));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        return await server.Http.SendAsync(request, Ct);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : string.Empty;

    private static string Hash(Match block)
    {
        Assert.True(block.Success);
        return $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(block.Groups[1].Value)))}'";
    }

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();
}
