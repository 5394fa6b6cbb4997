using Sawt.Inference;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;
using Sawt.Inference.Synthetic;

namespace Sawt.EndToEnd.Tests.Turbo;

/// <summary>
/// A Turbo bundle behind the unchanged cluster (gateway, session grain, T3 and decoder worker grains): the client's
/// messages are the multilingual ones, the audio is what the engine gives on its own (closing silence included),
/// and another language than English is refused with a stable code.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TurboClusterTests(TurboClusterFixture cluster) : IClassFixture<TurboClusterFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FixedSeed_TwoSentences_AudioEqualsTheEngineDirectly()
    {
        const string text = "Turbo through the cluster. A second sentence ends it.";
        await using var client = await WsTestClient.ConnectAsync(cluster.WebSocketUri(), Token);
        await client.SendAsync(new { type = "synthesize", context_id = "t", text, language = "en", sampling = new { seed = 17UL, cfg_weight = 0.7 }, output_format = new { encoding = "pcm_f32le" } }, Token);
        var messages = new List<ServerMessage>();
        ServerMessage message;
        do
        {
            message = await client.ReceiveAsync(Token);
            messages.Add(message);
        }
        while (message.Type is not ("done" or "error" or "cancelled"));

        Assert.True(message.Type == "done", message.Json.ToJsonString());
        var viaCluster = messages.Where(m => m.Audio is not null).SelectMany(m => Floats(m.Audio!)).ToArray();

        await using var engine = TtsEngine.Load(cluster.BundleDirectory, new TtsEngineOptions { Bundle = new BundleOptions { ExecutionProvider = ExecutionProviderChoice.Cpu } });
        Assert.Equal(BundleLayout.Turbo, engine.Bundle.Layout);
        var direct = new List<float>();
        await foreach (var chunk in engine.StreamAsync(new StreamingRequest(text, "en", Sampling: new SamplingOptions { Seed = 17, CfgWeight = 0.7f }), Token))
        {
            direct.AddRange(chunk.Samples);
        }

        Assert.True(direct.Count > 20 * 960, $"{direct.Count} samples");
        Assert.Equal(direct, viaCluster);

        // The synthetic decoder plays token t as tone t % 256: the utterance ends on the closing silence tokens
        // (two of three after the trim), so they went through the worker grains' token stream and decoder.
        var silenceTone = TurboConstants.SilenceToken % SyntheticLayout.ToneCount;
        Assert.Equal(silenceTone, StrongestTone(viaCluster.AsSpan(viaCluster.Length - 960)));
        Assert.Equal(silenceTone, StrongestTone(viaCluster.AsSpan(viaCluster.Length - 1920, 960)));
    }

    [Fact]
    public async Task French_UnsupportedLanguage()
    {
        await using var client = await WsTestClient.ConnectAsync(cluster.WebSocketUri(), Token);
        await client.SendAsync(new { type = "synthesize", context_id = "fr", text = "Bonjour à tous.", language = "fr" }, Token);

        var message = await client.ReceiveUntilAsync(m => m.Type is "done" or "error" or "cancelled", Token);

        Assert.Equal("error", message.Type);
        Assert.Equal("unsupported_language", (string?)message.Json["code"]);
    }

    /// <summary>The synthetic tone (0..255) with the most power in one 960-sample token block (Goertzel).</summary>
    private static long StrongestTone(ReadOnlySpan<float> block)
    {
        var best = -1L;
        var bestPower = -1.0;
        for (var tone = 0; tone < SyntheticLayout.ToneCount; tone++)
        {
            var coefficient = 2 * Math.Cos(2 * Math.PI * SyntheticLayout.ToneFrequency(tone) / ChatterboxConstants.SampleRate);
            double previous = 0, beforePrevious = 0;
            foreach (var sample in block)
            {
                var current = sample + (coefficient * previous) - beforePrevious;
                beforePrevious = previous;
                previous = current;
            }

            var power = (previous * previous) + (beforePrevious * beforePrevious) - (coefficient * previous * beforePrevious);
            if (power > bestPower)
            {
                bestPower = power;
                best = tone;
            }
        }

        return best;
    }

    private static float[] Floats(byte[] data)
    {
        var samples = new float[data.Length / 4];
        Buffer.BlockCopy(data, 0, samples, 0, data.Length);
        return samples;
    }
}
