using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// <c>/v1/ws</c> with the gateway's container encodings over the fake cluster and the real ffmpeg: the audio
/// messages' binary frames, concatenated, are one stream that an independent decoder reads whole.
/// </summary>
[Trait("Category", "Gateway")]
public sealed class WebSocketContainerEncodingTests : IAsyncLifetime
{
    /// <summary>The fake session's "chunks:12" utterance: 240 × (1 + ... + 12) samples at 24 kHz.</summary>
    private const string Text = "chunks:12 speech";
    private const int Samples = 240 * (12 * 13 / 2);

    private GatewayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GatewayServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Mp3Context_AudioFramesConcatenateToOneMp3OfTheUtterance()
    {
        var (audio, stream) = await SpeakAsync("mp3");

        Assert.Equal(Enumerable.Range(0, 12), audio.Select(m => m.Get("sequence").GetInt32()));
        Assert.All(audio, m => Assert.Equal("mp3", m.Get("encoding").GetString()));
        Assert.True(audio[^1].Get("is_final").GetBoolean());
        var (rate, channels, samples) = IndependentDecoders.Mp3(stream);
        Assert.Equal((24000, 1), (rate, channels));
        Assert.InRange(samples, Samples, Samples + 576 + 1105);
        Assert.Equal("pcm_s16le", _server.Backend.Sessions.Single().Start.Output.Encoding);
    }

    [Fact]
    public async Task FlacContext_DecodesToExactlyTheUtterance()
    {
        var (audio, stream) = await SpeakAsync("flac");

        Assert.All(audio, m => Assert.Equal("flac", m.Get("encoding").GetString()));
        Assert.Equal(24000, IndependentDecoders.FlacSampleRate(stream));
        Assert.Equal(Samples, await IndependentDecoders.FfmpegSamplesAsync(stream, "flac", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OggOpusAt44100_IsRefusedWithInvalidOptions_AndStartsNothing()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(new { type = "synthesize", context_id = "o", text = "hi", output_format = new { encoding = "ogg_opus", sample_rate = 44100 } });
        var error = await client.ReceiveJsonAsync();
        Assert.Equal("invalid_options", error.Code);
        Assert.True(error.Get("context_ended").GetBoolean());
        Assert.Empty(_server.Backend.Sessions);
    }

    private async Task<(List<Received> Audio, byte[] Stream)> SpeakAsync(string encoding)
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(new { type = "synthesize", context_id = "c", text = Text, output_format = new { encoding } });
        var messages = (await client.ReadContextsAsync(["c"]))["c"];
        Assert.Equal("done", messages[^1].Type);
        var audio = messages.Where(m => m.Type == "audio").ToList();
        var stream = messages.Where(m => m.Binary is not null).SelectMany(m => m.Binary!).ToArray();
        return (audio, stream);
    }
}
