namespace Sawt.EndToEnd.Tests;

/// <summary>A short request cannot make the cluster produce unbounded audio (the refusals at start are in the corpus).</summary>
[Trait("Category", "EndToEnd")]
public sealed class AmplificationTests(EmbeddedClusterFixture cluster)
{
    private const double MaxAudioSeconds = 300;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoThousandCombiningMarks_AudioStopsAtTheLimitWithAudioTooLong()
    {
        // Found by the hardening campaign: 2,001 combining marks made 921 s of audio.
        var text = "a" + new string('\u0301', 2000);
        await using var client = await WsTestClient.ConnectAsync(cluster.WebSocketUri(), Token);
        await client.SendAsync(new { type = "synthesize", context_id = "marks", text, language = "en", output_format = new { encoding = "pcm_s16le", sample_rate = 8000 } }, Token);

        var audioMs = 0.0;
        ServerMessage message;
        do
        {
            message = await client.ReceiveAsync(Token);
            if (message.Type == "audio")
            {
                audioMs += (double)message.Json["duration_ms"]!;
            }
        }
        while (message.Type is "started" or "audio");

        Assert.True(message.Type == "error", message.Json.ToJsonString());
        Assert.Equal("audio_too_long", (string?)message.Json["code"]);
        Assert.True((bool)message.Json["context_ended"]!);
        Assert.InRange(audioMs / 1000, 1, MaxAudioSeconds);
    }
}
