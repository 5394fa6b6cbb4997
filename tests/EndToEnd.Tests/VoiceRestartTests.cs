using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Sawt.EndToEnd.Tests.BadInput;
using Sawt.Silo;
using Sawt.Tests.Shared;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// With Redis configured, a tenant's voices and its catalog live in Redis grain storage: the whole cluster stopped
/// and started again (a new process-equivalent host on new ports) still lists, describes and speaks them, and still
/// keeps them from the other tenant.
/// </summary>
[Trait("Category", "Redis")]
public sealed class VoiceRestartTests(EmbeddedClusterFixture cluster)
{
    private const string AcmeKey = "acme-restart-key-0123456789abcdef";
    private const string GlobexKey = "globex-restart-key-0123456789abcdef";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TenantVoices_SurviveARestartOfEverySilo_OnRedis()
    {
        await using var redis = await RedisServer.StartAsync(Token);
        var id = "kept-" + Guid.NewGuid().ToString("N")[..8];
        string hash;
        await using (var before = await StartAsync(redis))
        {
            using var http = Client(before, AcmeKey);
            var put = await http.PutAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), new ByteArrayContent(ReferenceWavs.ValidClip()) { Headers = { ContentType = new MediaTypeHeaderValue("audio/wav") } }, Token);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            hash = JsonDocument.Parse(await put.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("content_hash").GetString()!;
        }

        await using var after = await StartAsync(redis);
        using var acme = Client(after, AcmeKey);
        using var list = JsonDocument.Parse(await acme.GetStringAsync(new Uri("/v1/voices", UriKind.Relative), Token));
        Assert.Contains(id, list.RootElement.GetProperty("voices").EnumerateArray().Select(v => v.GetProperty("voice_id").GetString()));
        using var voice = JsonDocument.Parse(await acme.GetStringAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Token));
        Assert.Equal(hash, voice.RootElement.GetProperty("content_hash").GetString());
        using var globex = Client(after, GlobexKey);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Token)).StatusCode);

        var builder = new UriBuilder(after.WebSocketUri()) { Query = "api_key=" + AcmeKey };
        await using var client = await WsTestClient.ConnectAsync(builder.Uri, Token);
        await client.SendAsync(new { type = "synthesize", context_id = "r", text = "Still here.", language = "en", voice = id }, Token);
        Assert.Equal("done", (await client.ReceiveUntilAsync(m => m.Type is "done" or "error", Token)).Type);
    }

    private Task<EmbeddedClusterHost> StartAsync(RedisServer redis) => EmbeddedClusterHost.StartAsync(
        cluster.BundleDirectory,
        extraArguments:
        [
            "--Sawt:Redis:ConnectionString", redis.ConnectionString,
            "--Sawt:Auth:Keys:0:Key", AcmeKey,
            "--Sawt:Auth:Keys:0:Tenant", "acme",
            "--Sawt:Auth:Keys:1:Key", GlobexKey,
            "--Sawt:Auth:Keys:1:Tenant", "globex",
        ],
        cancellationToken: Token);

    private static HttpClient Client(EmbeddedClusterHost host, string key)
    {
        var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }
}
