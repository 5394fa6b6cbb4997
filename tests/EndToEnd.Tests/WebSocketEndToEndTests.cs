using Microsoft.Extensions.DependencyInjection;
using Sawt.Contracts.Workers;
using Sawt.Inference;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;

namespace Sawt.EndToEnd.Tests;

/// <summary>The whole stack: real WebSocket clients, real Kestrel, the gateway, an Orleans silo, CPU workers.</summary>
[Trait("Category", "EndToEnd")]
public sealed class WebSocketEndToEndTests(EmbeddedClusterFixture cluster)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThirtyTwoContexts_FourSockets_AllCompleteInOrderWithoutGaps()
    {
        const int sockets = 4, perSocket = 8;
        var runs = Enumerable.Range(0, sockets).Select(async s =>
        {
            await using var client = await WsTestClient.ConnectAsync(cluster.WebSocketUri(), Token);
            for (var c = 0; c < perSocket; c++)
            {
                await client.SendAsync(new
                {
                    type = "synthesize",
                    context_id = $"s{s}c{c}",
                    text = $"Context {c} on socket {s} says hello.",
                    language = "en",
                    sampling = new { seed = (ulong)((s * 10) + c) },
                }, Token);
            }

            var contexts = await Collect(client, perSocket);
            return contexts;
        }).ToList();

        var all = (await Task.WhenAll(runs)).SelectMany(r => r).ToList();
        Assert.Equal(sockets * perSocket, all.Count);
        foreach (var (id, messages) in all)
        {
            AssertCompleteContext(id, messages);
        }
    }

    [Fact]
    public async Task FixedSeed_AudioEqualsTheEngineDirectly()
    {
        const string text = "مرحبا بكم في سوت. كيف حالكم؟";
        await using var client = await WsTestClient.ConnectAsync(cluster.WebSocketUri(), Token);
        await client.SendAsync(new { type = "synthesize", context_id = "eq", text, language = "ar", sampling = new { seed = 99UL }, output_format = new { encoding = "pcm_f32le" } }, Token);
        var messages = (await Collect(client, 1))["eq"];
        AssertCompleteContext("eq", messages);
        var viaCluster = messages.Where(m => m.Audio is not null).SelectMany(m => Floats(m.Audio!)).ToArray();

        await using var engine = TtsEngine.Load(cluster.BundleDirectory, new TtsEngineOptions { Bundle = new BundleOptions { ExecutionProvider = ExecutionProviderChoice.Cpu } });
        var direct = new List<float>();
        await foreach (var chunk in engine.StreamAsync(new StreamingRequest(text, "ar", Sampling: new SamplingOptions { Seed = 99 }), Token))
        {
            direct.AddRange(chunk.Samples);
        }

        Assert.Equal(direct, viaCluster);
    }

    [Fact]
    public async Task Cancel_MidStream_AcknowledgedNoAudioAfterAndWorkerFreed()
    {
        await using var client = await WsTestClient.ConnectAsync(cluster.WebSocketUri(), Token);
        var text = string.Join(' ', Enumerable.Repeat("A long sentence that would take a while to speak in full.", 4));
        await client.SendAsync(new { type = "synthesize", context_id = "x", text, language = "en", sampling = new { seed = 1UL } }, Token);
        ServerMessage message;
        do
        {
            message = await client.ReceiveAsync(Token);
        }
        while (message.Type != "audio");

        await client.SendAsync(new { type = "cancel", context_id = "x" }, Token);
        do
        {
            message = await client.ReceiveAsync(Token);
        }
        while (message.Type == "audio");

        Assert.Equal("cancelled", message.Type);
        var registry = cluster.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkerRegistryGrain>(0);
        for (var i = 0; i < 60 && (await registry.List()).Any(w => w.Kind == WorkerKind.T3 && w.Active > 0); i++)
        {
            await Task.Delay(100, Token);
        }

        Assert.DoesNotContain(await registry.List(), w => w.Kind == WorkerKind.T3 && w.Active > 0);

        // The socket stays usable.
        await client.SendAsync(new { type = "synthesize", context_id = "after", text = "Still here.", language = "en" }, Token);
        AssertCompleteContext("after", (await Collect(client, 1))["after"]);
    }

    [Theory]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"a\",\"text\":\"hi\",\"language\":\"xx\"}", "unsupported_language")]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"a\",\"text\":\"hi\",\"language\":\"en\",\"voice\":\"nobody\"}", "unknown_voice")]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"a\",\"text\":\"hi\",\"language\":\"en\",\"output_format\":{\"encoding\":\"wma\"}}", "invalid_options")]
    [InlineData("{not json", "invalid_json")]
    [InlineData("{\"type\":\"sing\"}", "unknown_message_type")]
    public async Task BadInput_ErrorWithStableCode_SocketStaysUsable(string raw, string code)
    {
        await using var client = await WsTestClient.ConnectAsync(cluster.WebSocketUri(), Token);
        await client.SendRawAsync(raw, Token);
        var message = await client.ReceiveAsync(Token);
        Assert.Equal("error", message.Type);
        Assert.Equal(code, (string?)message.Json["code"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)message.Json["message"]));

        await client.SendAsync(new { type = "synthesize", context_id = "ok", text = "Fine now.", language = "en" }, Token);
        AssertCompleteContext("ok", (await Collect(client, 1))["ok"]);
    }

    [Fact]
    public async Task Readyz_ClusterWithWorkers_Ready()
    {
        using var http = new HttpClient { BaseAddress = cluster.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/readyz", Token)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/healthz", Token)).StatusCode);
    }

    private static async Task<Dictionary<string, List<ServerMessage>>> Collect(WsTestClient client, int contexts)
    {
        var byContext = new Dictionary<string, List<ServerMessage>>();
        var finished = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        while (finished < contexts)
        {
            var message = await client.ReceiveAsync(timeout.Token);
            var id = message.ContextId ?? "(socket)";
            if (!byContext.TryGetValue(id, out var list))
            {
                byContext[id] = list = [];
            }

            list.Add(message);
            if (message.Type is "done" or "cancelled" || (message.Type == "error" && (bool?)message.Json["context_ended"] == true))
            {
                finished++;
            }
        }

        return byContext;
    }

    private static void AssertCompleteContext(string id, List<ServerMessage> messages)
    {
        Assert.True(messages[^1].Type == "done", $"{id} ended with {messages[^1].Json.ToJsonString()}");
        Assert.Equal("started", messages[0].Type);
        var audio = messages.Where(m => m.Type == "audio").ToList();
        Assert.Equal(Enumerable.Range(0, audio.Count), audio.Select(m => (int)m.Json["sequence"]!));
        Assert.All(audio, m => Assert.Equal((int)m.Json["bytes"]!, m.Audio!.Length));
        Assert.True((bool)audio[^1].Json["is_final"]!);
        Assert.True(audio.Sum(m => m.Audio!.Length) > 0);
    }

    private static float[] Floats(byte[] data)
    {
        var samples = new float[data.Length / 4];
        Buffer.BlockCopy(data, 0, samples, 0, data.Length);
        return samples;
    }
}
