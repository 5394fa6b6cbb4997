using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>The voices API's HTTP surface (open mode) over the fake cluster: upload forms, statuses, listing, delete.</summary>
[Trait("Category", "Gateway")]
public sealed class VoicesApiTests : IAsyncLifetime
{
    private static readonly byte[] Wav = [.. "RIFF"u8, .. new byte[60]];

    private GatewayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GatewayServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_Multipart_AssignsAnId_201WithLocationAndMetadata()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Wav);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", "me.wav");

        var response = await _server.Http.PostAsync(new Uri("/v1/voices", UriKind.Relative), form, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var id = body.RootElement.GetProperty("voice_id").GetString()!;
        Assert.StartsWith("v_", id, StringComparison.Ordinal);
        Assert.Equal("/v1/voices/" + id, response.Headers.Location?.OriginalString);
        Assert.False(body.RootElement.GetProperty("read_only").GetBoolean());
        Assert.Equal(16, body.RootElement.GetProperty("content_hash").GetString()!.Length);
        Assert.True(_server.Backend.Voices.ContainsKey(id));
    }

    [Fact]
    public async Task Put_CreatesThen_ReplacesWith200_PostWithIdIsItsAlias()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(HttpMethod.Put, "/v1/voices/bob")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(HttpMethod.Put, "/v1/voices/bob")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(HttpMethod.Post, "/v1/voices/bob")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(HttpMethod.Post, "/v1/voices/carol")).StatusCode);
    }

    [Fact]
    public async Task Upload_OtherContentType_Is415_FormWithoutFileIs400()
    {
        var json = await _server.Http.PutAsync(new Uri("/v1/voices/bob", UriKind.Relative), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct);
        await AssertErrorAsync(json, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        using var form = new MultipartFormDataContent { { new StringContent("x"), "name" } };
        await AssertErrorAsync(await _server.Http.PostAsync(new Uri("/v1/voices", UriKind.Relative), form, Ct), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task List_DefaultFirstThenVoicesById_PagedByAfter()
    {
        foreach (var id in new[] { "c", "a", "b" })
        {
            Assert.Equal(HttpStatusCode.Created, (await UploadAsync(HttpMethod.Put, "/v1/voices/" + id)).StatusCode);
        }

        using var first = JsonDocument.Parse(await _server.Http.GetStringAsync(new Uri("/v1/voices?limit=2", UriKind.Relative), Ct));
        Assert.Equal(["default", "a", "b"], first.RootElement.GetProperty("voices").EnumerateArray().Select(v => v.GetProperty("voice_id").GetString()));
        Assert.True(first.RootElement.GetProperty("voices")[0].GetProperty("read_only").GetBoolean());
        Assert.True(first.RootElement.GetProperty("has_more").GetBoolean());
        Assert.Equal("b", first.RootElement.GetProperty("next_after").GetString());

        using var second = JsonDocument.Parse(await _server.Http.GetStringAsync(new Uri("/v1/voices?limit=2&after=b", UriKind.Relative), Ct));
        Assert.Equal(["c"], second.RootElement.GetProperty("voices").EnumerateArray().Select(v => v.GetProperty("voice_id").GetString()));
        Assert.False(second.RootElement.GetProperty("has_more").GetBoolean());

        await AssertErrorAsync(await _server.Http.GetAsync(new Uri("/v1/voices?limit=0", UriKind.Relative), Ct), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Delete_Is204_ThenUnknown()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(HttpMethod.Put, "/v1/voices/bob")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Http.DeleteAsync(new Uri("/v1/voices/bob", UriKind.Relative), Ct)).StatusCode);

        await AssertErrorAsync(await _server.Http.GetAsync(new Uri("/v1/voices/bob", UriKind.Relative), Ct), HttpStatusCode.NotFound, "unknown_voice");
        await AssertErrorAsync(await _server.Http.DeleteAsync(new Uri("/v1/voices/bob", UriKind.Relative), Ct), HttpStatusCode.NotFound, "unknown_voice");
    }

    [Fact]
    public async Task OpenMode_NeedsNoKey_AndSaysSoOnceAtStart()
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync(new Uri("/v1/voices", UriKind.Relative), Ct)).StatusCode);
        var open = Assert.Single(_server.Logs.WithEventId(1027));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, open.Level);
    }

    private Task<HttpResponseMessage> UploadAsync(HttpMethod method, string path)
    {
        var content = new ByteArrayContent(Wav);
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        return _server.Http.SendAsync(new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content }, Ct);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(code, body.RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
