using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sawt.Contracts.Voices;
using Sawt.EndToEnd.Tests.BadInput;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// The embedded default without keys (the shared fixture): the voices API needs no key, and voice ids keep their
/// bare grain keys, so voices stored before tenants existed are still found.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class VoiceOpenModeTests(EmbeddedClusterFixture cluster)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenMode_VoicesNeedNoKey_AndKeepBareGrainKeys()
    {
        using var http = new HttpClient { BaseAddress = cluster.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var id = "open-" + Guid.NewGuid().ToString("N")[..8];

        var put = await http.PutAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), new ByteArrayContent(ReferenceWavs.ValidClip()) { Headers = { ContentType = new MediaTypeHeaderValue("audio/wav") } }, Token);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var speakers = cluster.Services.GetRequiredService<IClusterClient>();
        Assert.NotNull(await speakers.GetGrain<ISpeakerGrain>(id).GetRevision());
        using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri("/v1/voices", UriKind.Relative), Token));
        Assert.Contains(id, list.RootElement.GetProperty("voices").EnumerateArray().Select(v => v.GetProperty("voice_id").GetString()));

        await using var client = await WsTestClient.ConnectAsync(cluster.WebSocketUri(), Token);
        await client.SendAsync(new { type = "synthesize", context_id = "o", text = "Open for all.", language = "en", voice = id }, Token);
        Assert.Equal("done", (await client.ReceiveUntilAsync(m => m.Type is "done" or "error", Token)).Type);
    }
}
