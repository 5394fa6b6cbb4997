using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// The operator dashboard's endpoints on real Kestrel over a scripted cluster view: the JSON's shape and derived
/// numbers, the page, an unreachable cluster, and the operator key (401 without or with an unknown key, 403 with a
/// tenant's key, the cookie a browser gets from <c>?api_key=</c>), and this gateway's own activity reports.
/// </summary>
[Trait("Category", "Gateway")]
public sealed class OperatorDashboardTests
{
    private const string TenantKey = "tenant-key-0123456789abcdef";
    private const string OperatorKey = "operator-key-0123456789abcdef";
    private const string WrongKey = "not-a-key-0123456789abcdef";

    private static readonly Dictionary<string, string?> TenantAndOperator = new()
    {
        ["Sawt:Auth:Keys:0:Key"] = TenantKey,
        ["Sawt:Auth:Keys:0:Tenant"] = "acme",
        ["Sawt:Auth:OperatorKeys:0"] = OperatorKey,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClusterJson_OpenCluster_ShowsEverySiloWorkerAndTheDerivedNumbers()
    {
        await using var server = await GatewayServer.StartAsync();

        var response = await server.Http.GetAsync(new Uri("/ops/api/cluster", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var root = json.RootElement;
        Assert.Equal(new string?[] { FakeClusterHealthSource.SiloA, FakeClusterHealthSource.SiloB }, root.GetProperty("silos").EnumerateArray().Select(s => s.GetProperty("address").GetString()));
        var workers = root.GetProperty("workers").EnumerateArray().ToList();
        Assert.Equal(4, workers.Count);
        Assert.Equal(new string?[] { "T3", "Decoder", "T3", "Decoder" }, workers.Select(w => w.GetProperty("kind").GetString()));
        Assert.Equal(40, workers[0].GetProperty("tokensPerSecond").GetDouble());
        Assert.Equal("cpu", workers[0].GetProperty("device").GetString());
        Assert.Equal(300, root.GetProperty("window").GetProperty("p95Milliseconds").GetDouble());
        Assert.Equal(0.25, root.GetProperty("window").GetProperty("errorRate").GetDouble(), 6);
        Assert.Equal(3, root.GetProperty("openSockets").GetInt32());
        Assert.Equal(2, root.GetProperty("activeSessions").GetInt32());
        // (6 + 2 memory hits + 0 Redis hits) / (6 + 2 hits + 2 misses) lookups.
        Assert.Equal(0.8, root.GetProperty("voiceHitRatio").GetDouble(), 6);
        Assert.Equal("busy", root.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Page_IsServedWithItsOwnPlots_AndNoExternalAssets()
    {
        await using var server = await GatewayServer.StartAsync();

        var response = await server.Http.GetAsync(new Uri("/ops", UriKind.Relative), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"latency-plot\"", html, StringComparison.Ordinal);
        Assert.Contains("/ops/api/cluster", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterJson_ClusterUnreachable_Is503Unavailable()
    {
        await using var server = await GatewayServer.StartAsync();
        server.Health.Failure = new OrleansException("no silo");

        var response = await server.Http.GetAsync(new Uri("/ops/api/cluster", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unavailable", await ErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("/ops")]
    [InlineData("/ops/api/cluster")]
    [InlineData("/OPS/Api/Cluster")]
    [InlineData("/ops/orleans/")]
    public async Task OperatorPaths_KeysConfigured_RefuseMissingUnknownAndTenantKeys(string path)
    {
        await using var server = await GatewayServer.StartAsync(settings: TenantAndOperator);

        foreach (var (key, status, code) in new (string?, HttpStatusCode, string)[]
        {
            (null, HttpStatusCode.Unauthorized, "unauthorized"),
            (WrongKey, HttpStatusCode.Unauthorized, "unauthorized"),
            (TenantKey, HttpStatusCode.Forbidden, "forbidden"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            var response = await server.Http.SendAsync(request, Ct);

            Assert.Equal(status, response.StatusCode);
            Assert.Equal(code, await ErrorCodeAsync(response));
        }

        Assert.DoesNotContain(server.Logs.Entries, e => e.Message.Contains(TenantKey, StringComparison.Ordinal) || e.Message.Contains(WrongKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OperatorKey_AsBearer_OpensTheJson()
    {
        await using var server = await GatewayServer.StartAsync(settings: TenantAndOperator);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/ops/api/cluster", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);

        var response = await server.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OperatorKey_InThePageQuery_SetsAnHttpOnlyCookie_ThatOpensThePagesRequests()
    {
        await using var server = await GatewayServer.StartAsync(settings: TenantAndOperator);
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var browser = new HttpClient(handler) { BaseAddress = server.HttpBase };

        var page = await browser.GetAsync(new Uri("/ops?api_key=" + OperatorKey, UriKind.Relative), Ct);
        var json = await browser.GetAsync(new Uri("/ops/api/cluster", UriKind.Relative), Ct);
        var api = await browser.GetAsync(new Uri("/v1/voices", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var setCookie = Assert.Single(page.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/ops", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        // The cookie is scoped to /ops: it is no API key for the tenant API.
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task OperatorKeysOnly_LeaveTheApiOpen_ButGuardTheOperatorPages()
    {
        await using var server = await GatewayServer.StartAsync(settings: new Dictionary<string, string?> { ["Sawt:Auth:OperatorKeys:0"] = OperatorKey });

        var ops = await server.Http.GetAsync(new Uri("/ops/api/cluster", UriKind.Relative), Ct);
        var voices = await server.Http.GetAsync(new Uri("/v1/voices", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, ops.StatusCode);
        Assert.Equal(HttpStatusCode.OK, voices.StatusCode);
    }

    [Fact]
    public async Task OperatorKeys_ShortOrSharedWithATenant_FailStart()
    {
        var bad = new Dictionary<string, string?>
        {
            ["Sawt:Auth:Keys:0:Key"] = TenantKey,
            ["Sawt:Auth:Keys:0:Tenant"] = "acme",
            ["Sawt:Auth:OperatorKeys:0"] = "short",
            ["Sawt:Auth:OperatorKeys:1"] = TenantKey,
        };

        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => GatewayServer.StartAsync(settings: bad));

        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public async Task Gateway_ReportsItsOpenSockets_ToTheOperatorView()
    {
        await using var server = await GatewayServer.StartAsync();
        await using var client = await ProtocolClient.ConnectAsync(server.Ws("/v1/ws"));

        // Reports go out every two seconds; wait (bounded) for one taken while the socket is open.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!server.Health.Reports.Any(r => r.OpenSockets == 1) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        var report = server.Health.Reports.FirstOrDefault(r => r.OpenSockets == 1);
        Assert.NotNull(report);
        Assert.Equal(0, report.ActiveSessions);
        Assert.Contains("/", report.Gateway, StringComparison.Ordinal);
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return body.RootElement.GetProperty("error").GetProperty("code").GetString();
    }
}
