using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Sawt.EndToEnd.Tests.BadInput;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// The voices API and tenants on the real embedded cluster started with keys for two tenants (acme, globex): the
/// whole lifecycle of a voice, each isolation case across tenants (list, use, replace, delete), 401 without a
/// valid key on HTTP and WebSocket, and every upload error code through the new endpoints. Every wait is bounded
/// by <see cref="Bound"/>; nothing depends on timing.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class VoiceTenancyTests(TenantClusterFixture tenants) : IClassFixture<TenantClusterFixture>
{
    private const string Acme = TenantClusterFixture.AcmeKey;
    private const string Globex = TenantClusterFixture.GlobexKey;

    /// <summary>Upper bound of any one request or synthesis here (the tiny bundle on CPU needs well under a second).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Voice_Lifecycle_PostPutListGetUseReplaceDelete()
    {
        using var http = Client(Acme);

        // POST: the server picks the id; multipart with a file field.
        using var form = new MultipartFormDataContent();
        form.Add(Wav(ReferenceWavs.ValidClip()), "file", "me.wav");
        var posted = await http.PostAsync(new Uri("/v1/voices", UriKind.Relative), form, Token);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var postedVoice = await JsonAsync(posted);
        var postedId = postedVoice.GetProperty("voice_id").GetString()!;
        Assert.Equal($"/v1/voices/{postedId}", posted.Headers.Location?.OriginalString);

        // PUT: the client picks the id; raw WAV body.
        var id = "anna-" + Guid.NewGuid().ToString("N")[..8];
        var put = await http.PutAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Wav(ReferenceWavs.ValidClip()), Token);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        // GET: the metadata of the uploaded WAV (2 s, 16 kHz, mono) and of the bundle.
        var got = await JsonAsync(await http.GetAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Token));
        Assert.Equal(id, got.GetProperty("voice_id").GetString());
        Assert.Equal(2.0, got.GetProperty("duration_seconds").GetDouble());
        Assert.Equal(16_000, got.GetProperty("sample_rate").GetInt32());
        Assert.Equal(1, got.GetProperty("channels").GetInt32());
        Assert.False(got.GetProperty("read_only").GetBoolean());
        Assert.False(string.IsNullOrEmpty(got.GetProperty("bundle").GetString()));
        Assert.True(DateTimeOffset.Parse(got.GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddHours(-1));
        var firstHash = got.GetProperty("content_hash").GetString();
        Assert.Equal(postedVoice.GetProperty("content_hash").GetString(), firstHash); // same clip, same hash

        // List: the read-only default first, then both voices.
        var listed = await ListAsync(http);
        Assert.Equal("default", listed[0]);
        Assert.Contains(id, listed);
        Assert.Contains(postedId, listed);

        // Use, in a WebSocket synthesis (key in the query, as browsers must).
        Assert.Equal("done", await SynthesizeAsync(Acme, id));

        // Replace: 200, new hash and metadata; the voice still speaks.
        var replaced = await http.PutAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Wav(ReferenceWavs.StereoFloatClip()), Token);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var replacedVoice = await JsonAsync(replaced);
        Assert.NotEqual(firstHash, replacedVoice.GetProperty("content_hash").GetString());
        Assert.Equal((44_100, 2, 1.5), (replacedVoice.GetProperty("sample_rate").GetInt32(), replacedVoice.GetProperty("channels").GetInt32(), replacedVoice.GetProperty("duration_seconds").GetDouble()));
        Assert.Equal("done", await SynthesizeAsync(Acme, id));

        // Delete: 204, then unknown everywhere.
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Token)).StatusCode);
        await AssertErrorAsync(await http.GetAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Token), HttpStatusCode.NotFound, "unknown_voice");
        Assert.Equal("unknown_voice", await SynthesizeAsync(Acme, id));
        Assert.DoesNotContain(id, await ListAsync(http));
        await AssertErrorAsync(await http.DeleteAsync(new Uri("/v1/voices/default", UriKind.Relative), Token), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Isolation_OtherTenant_CannotListOrGet()
    {
        var id = await EnrollAsync(Acme, "list-" + Guid.NewGuid().ToString("N")[..8]);
        using var globex = Client(Globex);

        Assert.DoesNotContain(id, await ListAsync(globex));
        await AssertErrorAsync(await globex.GetAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Token), HttpStatusCode.NotFound, "unknown_voice");
        Assert.Contains(id, await ListAsync(Client(Acme)));
    }

    [Fact]
    public async Task Isolation_OtherTenant_CannotUse_OnWebSocketOrHttp()
    {
        var id = await EnrollAsync(Acme, "use-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.Equal("unknown_voice", await SynthesizeAsync(Globex, id));
        using var globex = Client(Globex);
        var speech = await globex.PostAsync(new Uri("/v1/tts", UriKind.Relative), new StringContent($$"""{"text":"Hello.","language":"en","voice":"{{id}}"}""", Encoding.UTF8, "application/json"), Token);
        await AssertErrorAsync(speech, HttpStatusCode.NotFound, "unknown_voice");

        // The owner, and another key of the same tenant, still can.
        Assert.Equal("done", await SynthesizeAsync(Acme, id));
    }

    [Fact]
    public async Task Isolation_OtherTenant_ReplacingTheSameId_CreatesItsOwn_AndLeavesTheOwnersVoice()
    {
        var id = await EnrollAsync(Acme, "replace-" + Guid.NewGuid().ToString("N")[..8]);
        using var acme = Client(Acme);
        var acmeHash = (await JsonAsync(await acme.GetAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Token))).GetProperty("content_hash").GetString();

        using var globex = Client(Globex);
        var put = await globex.PutAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Wav(ReferenceWavs.StereoFloatClip()), Token);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode); // created in globex, not a replace of acme's
        var acmeAfter = await JsonAsync(await acme.GetAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Token));
        Assert.Equal(acmeHash, acmeAfter.GetProperty("content_hash").GetString());
        Assert.Equal(16_000, acmeAfter.GetProperty("sample_rate").GetInt32());
        using var globexSecond = Client(TenantClusterFixture.GlobexSecondKey);
        var globexVoice = await JsonAsync(await globexSecond.GetAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Token));
        Assert.Equal(44_100, globexVoice.GetProperty("sample_rate").GetInt32());
    }

    [Fact]
    public async Task Isolation_OtherTenant_CannotDelete()
    {
        var id = await EnrollAsync(Acme, "delete-" + Guid.NewGuid().ToString("N")[..8]);
        using var globex = Client(Globex);

        await AssertErrorAsync(await globex.DeleteAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Token), HttpStatusCode.NotFound, "unknown_voice");

        using var acme = Client(Acme);
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Token)).StatusCode);
        Assert.Equal("done", await SynthesizeAsync(Acme, id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-0123456789abcdef")]
    public async Task Auth_NoOrBadKey_Is401_OnHttpAndWebSocket(string? key)
    {
        using var http = key is null ? new HttpClient { BaseAddress = tenants.Host.BaseAddress, Timeout = Bound } : Client(key);
        foreach (var (method, path) in new[] { ("GET", "/v1/voices"), ("POST", "/v1/tts"), ("POST", "/v1/audio/speech"), ("GET", "/tts/stream?text=Hi."), ("DELETE", "/v1/voices/x") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
            var response = await http.SendAsync(request, Token);
            await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        foreach (var path in new[] { "/v1/ws", "/ws/tts" })
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WsUri(path, key), Token));
            Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
        }

        using var open = new HttpClient { BaseAddress = tenants.Host.BaseAddress, Timeout = Bound };
        Assert.Equal(HttpStatusCode.OK, (await open.GetAsync(new Uri("/healthz", UriKind.Relative), Token)).StatusCode);
    }

    public static TheoryData<string> BadUploads =>
    [
        "upload/over-10-MiB", "upload/tag/mp3", "upload/length/half-second", "upload/length/31s",
        "upload/loudness/digital-silence", "upload/structure/text-file",
    ];

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task Upload_EachBadClip_KeepsItsCode_OnPostAndPut(string caseId)
    {
        var upload = ReferenceWavs.Cases().Single(c => c.Id == caseId);
        using var http = Client(Acme);
        var expected = (HttpStatusCode)upload.Expect.Status;

        await AssertErrorAsync(await http.PostAsync(new Uri("/v1/voices", UriKind.Relative), Wav(upload.Body!), Token), expected, upload.Expect.Code!);
        await AssertErrorAsync(await http.PutAsync(new Uri("/v1/voices/bad-upload", UriKind.Relative), Wav(upload.Body!), Token), expected, upload.Expect.Code!);
        Assert.DoesNotContain("bad-upload", await ListAsync(http));
    }

    [Fact]
    public async Task Upload_NotAWavContentType_Is415()
    {
        using var http = Client(Acme);
        var response = await http.PutAsync(new Uri("/v1/voices/mp3", UriKind.Relative), new ByteArrayContent(ReferenceWavs.ValidClip()) { Headers = { ContentType = new MediaTypeHeaderValue("audio/mpeg") } }, Token);

        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    private HttpClient Client(string key)
    {
        var http = new HttpClient { BaseAddress = tenants.Host.BaseAddress, Timeout = Bound };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private Uri WsUri(string path, string? key) =>
        new UriBuilder(tenants.Host.WebSocketUri(path)) { Query = key is null ? string.Empty : "api_key=" + Uri.EscapeDataString(key) }.Uri;

    private async Task<string> EnrollAsync(string key, string id)
    {
        using var http = Client(key);
        var response = await http.PutAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), Wav(ReferenceWavs.ValidClip()), Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    /// <summary>One synthesis on /v1/ws with <paramref name="voice"/>: "done", or the error code it ended with.</summary>
    private async Task<string> SynthesizeAsync(string key, string voice)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Token);
        bound.CancelAfter(Bound);
        await using var client = await WsTestClient.ConnectAsync(WsUri("/v1/ws", key), bound.Token);
        await client.SendAsync(new { type = "synthesize", context_id = "c", text = "Hello there.", language = "en", voice, sampling = new { seed = 7UL } }, bound.Token);
        var last = await client.ReceiveUntilAsync(m => m.Type is "done" or "error", bound.Token);
        return last.Type == "done" ? "done" : (string)last.Json["code"]!;
    }

    private static async Task<List<string>> ListAsync(HttpClient http)
    {
        var ids = new List<string>();
        string? after = null;
        do
        {
            var page = await JsonAsync(await http.GetAsync(new Uri("/v1/voices?limit=100" + (after is null ? string.Empty : "&after=" + after), UriKind.Relative), Token));
            ids.AddRange(page.GetProperty("voices").EnumerateArray().Select(v => v.GetProperty("voice_id").GetString()!));
            after = page.GetProperty("next_after").GetString();
        }
        while (after is not null);
        return ids;
    }

    private static ByteArrayContent Wav(byte[] wav) => new(wav) { Headers = { ContentType = new MediaTypeHeaderValue("audio/wav") } };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        using var body = JsonDocument.Parse(text);
        Assert.Equal(code, body.RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
