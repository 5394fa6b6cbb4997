using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sawt.Inference.Sampling;
using Sawt.Inference.Synthetic;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// The v2 re-export layout through the whole stack (WebSocket and HTTP clients, gateway, session grain, T3 and decoder
/// workers): the same callers as v1, and the alignment guard's verdict reported to the client.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class V2LayoutEndToEndTests(V2ClusterFixture cluster) : IClassFixture<V2ClusterFixture>
{
    private const string Sentence = "Hello there, this is a longer sentence to speak.";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(SyntheticAlignmentBehaviour.Normal, StopReasonNames.EndOfSpeech, null)]
    [InlineData(SyntheticAlignmentBehaviour.FalseStart, StopReasonNames.EndOfSpeech, StopReasonNames.FalseStart)]
    [InlineData(SyntheticAlignmentBehaviour.LongTail, StopReasonNames.LongTail, null)]
    [InlineData(SyntheticAlignmentBehaviour.AlignmentRepetition, StopReasonNames.AlignmentRepetition, StopReasonNames.Discontinuity)] // starting over is a jump back
    [InlineData(SyntheticAlignmentBehaviour.Discontinuity, StopReasonNames.EndOfSpeech, StopReasonNames.Discontinuity)]
    [InlineData(SyntheticAlignmentBehaviour.TokenRepetition, StopReasonNames.TokenRepetition, null)]
    public async Task WebSocket_SteeredAlignment_DoneCarriesTheGuardsVerdict(SyntheticAlignmentBehaviour behaviour, string stopReason, string? warning)
    {
        await using var client = await WsTestClient.ConnectAsync(cluster.WebSocketUri(), Token);
        var text = SyntheticAlignmentSteering.Steer(Sentence, behaviour);
        await client.SendAsync(new { type = "synthesize", context_id = "v2", text, language = "en", sampling = new { seed = 7UL } }, Token);
        var audioBytes = 0;
        ServerMessage message;
        do
        {
            message = await client.ReceiveAsync(Token);
            audioBytes += message.Audio?.Length ?? 0;
            Assert.NotEqual("error", message.Type);
        }
        while (message.Type != "done");

        Assert.True(audioBytes > 0, "no audio before done");
        Assert.Equal(stopReason, (string?)message.Json["stop_reason"]);
        var warnings = message.Json["alignment_warnings"]?.AsArray().Select(w => (string?)w).ToArray();
        if (warning is null)
        {
            Assert.Null(warnings);
        }
        else
        {
            Assert.Equal([warning], Assert.IsType<string?[]>(warnings));
        }
    }

    [Fact]
    public async Task Http_LongTail_StopReasonInTheResponseHeaders()
    {
        using var http = new HttpClient { BaseAddress = cluster.BaseAddress };
        var text = SyntheticAlignmentSteering.Steer(Sentence, SyntheticAlignmentBehaviour.LongTail);
        using var response = await http.PostAsJsonAsync("/v1/tts", new JsonObject { ["text"] = text, ["language"] = "en", ["sampling"] = new JsonObject { ["seed"] = 7 } }, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(StopReasonNames.LongTail, Assert.Single(response.Headers.GetValues("X-Stop-Reason")));
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync(Token));
    }
}
