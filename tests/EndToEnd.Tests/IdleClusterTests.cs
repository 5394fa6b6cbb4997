using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Sawt.Silo;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// The embedded default left idle past its grain collection age (two seconds here; fifteen minutes by default, after
/// which the cluster used to answer every synthesis with "No T3 worker is ready yet") still serves, and is ready
/// throughout.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class IdleClusterTests(EmbeddedClusterFixture shared)
{
    private static readonly TimeSpan CollectionAge = TimeSpan.FromSeconds(2);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdlePastCollectionAge_StillReadyAndServing()
    {
        await using var host = await EmbeddedClusterHost.StartAsync(
            shared.BundleDirectory,
            configure: builder => builder.Services.Configure<GrainCollectionOptions>(o =>
            {
                o.CollectionQuantum = TimeSpan.FromMilliseconds(500);
                o.CollectionAge = CollectionAge;
            }),
            cancellationToken: Token);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        // A voice, so the collection has a speaker grain to take (its voice must survive), and one synthesis.
        var voice = await http.PostAsync("/v1/voices/idle-probe", new ByteArrayContent(BadInput.ReferenceWavs.ValidClip()), Token);
        Assert.Equal(HttpStatusCode.Created, voice.StatusCode);
        await SpeakAsync(host, "default");

        // Idle until the collector has demonstrably run: the speaker grain is gone. Ready all along.
        var management = host.Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await management.GetDetailedGrainStatistics(null, null, Token)).Any(s => s.GrainType.Contains("Speaker", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the collector never took the idle speaker grain");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz", Token)).StatusCode);
            await Task.Delay(250, Token);
        }

        // Twice the age more, so everything collectable has been collected.
        await Task.Delay(CollectionAge * 2, Token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz", Token)).StatusCode);
        await SpeakAsync(host, "default");
        await SpeakAsync(host, "idle-probe");
    }

    private static async Task SpeakAsync(EmbeddedClusterHost host, string voice)
    {
        await using var client = await WsTestClient.ConnectAsync(host.WebSocketUri(), Token);
        await client.SendAsync(new { type = "synthesize", context_id = "idle", text = "Still here after a rest.", language = "en", voice }, Token);
        var end = await client.ReceiveUntilAsync(m => m.Type is "done" or "error" or "cancelled", Token);
        Assert.True(end.Type == "done", end.Json.ToJsonString());
    }
}
