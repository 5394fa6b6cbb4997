using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// One tenant cannot reach another's contexts or voices, on real Kestrel with real WebSocket clients over the fake
/// cluster. A context belongs to the socket that started it: every context operation the protocol has (<c>text</c>,
/// <c>flush</c>, <c>end</c>, <c>cancel</c>; there is no attach or subscribe) sent from another socket, of another
/// tenant (or the same one), is <c>unknown_context</c> exactly as for an id that never existed, and the owner's context
/// goes on untouched. Another tenant's voice is <c>unknown_voice</c> exactly as a voice that does not exist.
/// </summary>
[Trait("Category", "Gateway")]
public sealed class CrossTenantTests : IAsyncLifetime
{
    private const string AcmeKey = "acme-key-0123456789abcdef";
    private const string AcmeSecondKey = "acme-key2-0123456789abcdef";
    private const string GlobexKey = "globex-key-0123456789abcdef";

    /// <summary>Acme's context, and an id no socket ever used (the answer must not tell them apart).</summary>
    private const string OwnedContext = "owned";
    private const string NeverContext = "never";

    private static readonly Dictionary<string, string?> Tenants = new()
    {
        ["Sawt:Auth:Keys:0:Key"] = AcmeKey,
        ["Sawt:Auth:Keys:0:Tenant"] = "acme",
        ["Sawt:Auth:Keys:1:Key"] = AcmeSecondKey,
        ["Sawt:Auth:Keys:1:Tenant"] = "acme",
        ["Sawt:Auth:Keys:2:Key"] = GlobexKey,
        ["Sawt:Auth:Keys:2:Tenant"] = "globex",
    };

    private GatewayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GatewayServer.StartAsync(settings: Tenants);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Operations => new()
    {
        { GlobexKey, "text" },
        { GlobexKey, "flush" },
        { GlobexKey, "end" },
        { GlobexKey, "cancel" },
        { AcmeSecondKey, "text" },
        { AcmeSecondKey, "cancel" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task ContextOperation_FromAnotherSocket_IsUnknownContext_AsForAnIdThatNeverExisted_AndTheOwnerGoesOn(string intruderKey, string operation)
    {
        await using var owner = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws?api_key=" + AcmeKey));
        await owner.SendAsync(new { type = "synthesize", context_id = OwnedContext, incremental = true, language = "ar" });
        var started = await owner.ReceiveJsonAsync();
        Assert.Equal("started", started.Type);
        await owner.SendAsync(new { type = "text", context_id = OwnedContext, text = "owner's words" });
        var ownerSession = Assert.Single(_server.Backend.Sessions);

        await using var intruder = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws?api_key=" + intruderKey));
        var sessionId = started.Get("session_id").GetString()!;
        var answers = new List<Received>();
        foreach (var id in new[] { OwnedContext, sessionId, NeverContext })
        {
            await intruder.SendAsync(Operation(operation, id));
            answers.Add(await intruder.ReceiveJsonAsync());
        }

        foreach (var (answer, id) in answers.Zip(new[] { OwnedContext, sessionId, NeverContext }))
        {
            Assert.Equal(("error", "unknown_context", id, false), (answer.Type, answer.Code, answer.ContextId, answer.Get("context_ended").GetBoolean()));
            Assert.Equal(answers[^1].Get("message").GetString()!.Replace(NeverContext, id, StringComparison.Ordinal), answer.Get("message").GetString());
        }

        // The intruder's own namespace: the same id starts its own context (not duplicate_context), in its own tenant.
        await intruder.SendAsync(new { type = "synthesize", context_id = OwnedContext, text = "intruder's words", language = "ar" });
        Assert.Equal("done", (await intruder.ReadContextsAsync([OwnedContext], TimeSpan.FromSeconds(20)))[OwnedContext][^1].Type);

        // The owner's context is untouched: its text is only its own, it was not cancelled, and it ends normally.
        await owner.SendAsync(new { type = "end", context_id = OwnedContext });
        var messages = (await owner.ReadContextsAsync([OwnedContext], TimeSpan.FromSeconds(20)))[OwnedContext];
        Assert.Equal("done", messages[^1].Type);
        Assert.Equal(new[] { "owner's words" }, ownerSession.Appended);
        Assert.False(ownerSession.CancelCalled);
        Assert.Equal("acme", ownerSession.Start.Tenant);
        Assert.Equal(intruderKey == GlobexKey ? "globex" : "acme", _server.Backend.Sessions.Last().Start.Tenant);
    }

    [Fact]
    public async Task Voice_OfAnotherTenant_IsUnknownVoice_AsOneThatDoesNotExist_OnEveryOperation()
    {
        var acmeWav = Wav(1);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Put, "/v1/voices/acmevoice", AcmeKey, acmeWav)).StatusCode);
        var acmeVoice = await JsonAsync(await SendAsync(HttpMethod.Get, "/v1/voices/acmevoice", AcmeKey));

        // Read, delete, synthesize over HTTP: the same answer as for a voice that does not exist.
        foreach (var (method, path, body) in new (HttpMethod, string, byte[]?)[]
        {
            (HttpMethod.Get, "/v1/voices/{0}", null),
            (HttpMethod.Delete, "/v1/voices/{0}", null),
            (HttpMethod.Post, "/v1/tts", Encoding.UTF8.GetBytes("""{"text":"hi","voice":"{0}"}""")),
        })
        {
            var other = await SendVoiceOperationAsync(method, path, body, "acmevoice");
            var missing = await SendVoiceOperationAsync(method, path, body, "novoice");
            Assert.Equal(HttpStatusCode.NotFound, other.Status);
            Assert.Equal(missing.Status, other.Status);
            Assert.Equal("unknown_voice", other.Code);
            Assert.Equal(missing.Message.Replace("novoice", "acmevoice", StringComparison.Ordinal), other.Message);
        }

        // List: none of acme's voices. Replace: globex creates its own voice; acme's keeps its clip.
        Assert.DoesNotContain("acmevoice", await (await SendAsync(HttpMethod.Get, "/v1/voices", GlobexKey)).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Put, "/v1/voices/acmevoice", GlobexKey, Wav(2))).StatusCode);
        var acmeAfter = await JsonAsync(await SendAsync(HttpMethod.Get, "/v1/voices/acmevoice", AcmeKey));
        Assert.Equal(acmeVoice.GetProperty("content_hash").GetString(), acmeAfter.GetProperty("content_hash").GetString());

        // Synthesize over WebSocket with acme's voice id from a tenant that has none by that name.
        await using var socket = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws?api_key=" + GlobexKey));
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, "/v1/voices/acmevoice", GlobexKey)).StatusCode);
        await socket.SendAsync(new { type = "synthesize", context_id = "c1", text = "hi", voice = "acmevoice", language = "ar" });
        var error = await socket.ReceiveJsonAsync();
        Assert.Equal(("unknown_voice", true), (error.Code, error.Get("context_ended").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/v1/voices/acmevoice", AcmeKey)).StatusCode);
    }

    private static object Operation(string operation, string contextId) => operation switch
    {
        "text" => new { type = "text", context_id = contextId, text = "intruder's words" },
        _ => (object)new { type = operation, context_id = contextId },
    };

    private static byte[] Wav(byte fill)
    {
        var wav = Enumerable.Repeat(fill, 64).ToArray();
        "RIFF"u8.CopyTo(wav);
        return wav;
    }

    private async Task<(HttpStatusCode Status, string? Code, string Message)> SendVoiceOperationAsync(HttpMethod method, string pathFormat, byte[]? bodyFormat, string voice)
    {
        var path = pathFormat.Replace("{0}", voice, StringComparison.Ordinal);
        var body = bodyFormat is null ? null : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bodyFormat).Replace("{0}", voice, StringComparison.Ordinal));
        var response = await SendAsync(method, path, GlobexKey, body, body is null ? null : "application/json");
        var error = (await JsonAsync(response)).GetProperty("error");
        return (response.StatusCode, error.GetProperty("code").GetString(), error.GetProperty("message").GetString()!);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, byte[]? body = null, string? contentType = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add("xi-api-key", key);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "audio/wav");
        }

        return await _server.Http.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return document.RootElement.Clone();
    }
}
