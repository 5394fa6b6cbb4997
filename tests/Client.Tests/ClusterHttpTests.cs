using System.Text;
using Sawt.Client.Tests.Infrastructure;
using Sawt.Protocol;

namespace Sawt.Client.Tests;

/// <summary>The HTTP calls against the real embedded cluster: synthesize, stream, the voice library.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ClusterHttpTests(ClientClusterFixture cluster)
{
    [Fact]
    public async Task Synthesize_Pcm_ReturnsAWavFile()
    {
        using var bound = Speech.Bound();
        using var client = new SawtClient(cluster.Options());

        var audio = await client.SynthesizeAsync(new TtsRequest("A whole sentence.", "en", OutputFormat: new OutputFormat("pcm_s16le", 16000)), bound.Token);

        Assert.Equal("RIFF", Encoding.ASCII.GetString(audio.Audio, 0, 4));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(audio.Audio, 8, 4));
        Assert.True(audio.Audio.Length > 44);
    }

    [Fact]
    public async Task Stream_Float32_ReturnsWholeSamplesAsTheyCome()
    {
        using var bound = Speech.Bound();
        using var client = new SawtClient(cluster.Options());

        var total = 0;
        var pieces = 0;
        await foreach (var piece in client.StreamAsync(new TtsRequest("Streamed as it is made.", "en"), bound.Token))
        {
            total += piece.Length;
            pieces++;
        }

        Assert.True(pieces >= 1);
        Assert.True(total > 0);
        Assert.Equal(0, total % sizeof(float));
    }

    [Fact]
    public async Task Voices_CreateGetListUseDelete()
    {
        using var bound = Speech.Bound();
        using var client = new SawtClient(cluster.Options());
        var id = "client-" + Guid.NewGuid().ToString("N")[..8];

        var created = await client.CreateVoiceAsync(new MemoryStream(TestWav.Tone()), id, bound.Token);
        var fetched = await client.GetVoiceAsync(id, bound.Token);
        var list = await client.ListVoicesAsync(cancellationToken: bound.Token);
        await using (var connection = await client.ConnectAsync(bound.Token))
        {
            await using var context = await connection.OpenContextAsync(Speech.English with { Voice = id }, bound.Token);
            await context.SendTextAsync("With my own voice.", cancellationToken: bound.Token);
            await context.EndAsync(bound.Token);
            Assert.NotEmpty(await Speech.CollectAsync(context, bound.Token));
        }

        await client.DeleteVoiceAsync(id, bound.Token);
        var gone = await Assert.ThrowsAsync<SawtException>(() => client.GetVoiceAsync(id, bound.Token));

        Assert.Equal((id, 16000, 1, false), (created.VoiceId, created.SampleRate, created.Channels, created.ReadOnly));
        Assert.Equal(created, fetched);
        Assert.Equal("default", list.Voices[0].VoiceId);
        Assert.Contains(list.Voices, v => v.VoiceId == id);
        Assert.Equal(ErrorCodes.UnknownVoice, gone.Code);
    }
}
