using Sawt.Client.Tests.Infrastructure;
using Sawt.Protocol;

namespace Sawt.Client.Tests;

/// <summary>Every error of the real cluster reaches the caller as a <see cref="SawtException"/> with its code.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ClusterErrorTests(ClientClusterFixture cluster)
{
    [Fact]
    public async Task OpenContext_UnknownVoice_ThrowsUnknownVoice()
    {
        using var bound = Speech.Bound();
        using var client = new SawtClient(cluster.Options());
        await using var connection = await client.ConnectAsync(bound.Token);

        var error = await Assert.ThrowsAsync<SawtException>(() =>
            connection.OpenContextAsync(Speech.English with { Voice = "no-such-voice", ContextId = "bad-voice" }, bound.Token));

        Assert.Equal((ErrorCodes.UnknownVoice, false, "bad-voice"), (error.Code, error.Retryable, error.ContextId));
    }

    [Fact]
    public async Task OpenContext_InvalidTextInAField_ThrowsInvalidText()
    {
        using var bound = Speech.Bound();
        using var client = new SawtClient(cluster.Options());
        await using var connection = await client.ConnectAsync(bound.Token);

        // U+FFFE is a non-character: valid UTF-16, refused by the protocol's text rule.
        var error = await Assert.ThrowsAsync<SawtException>(() =>
            connection.OpenContextAsync(Speech.English with { Language = "en\uFFFE" }, bound.Token));

        Assert.Equal((ErrorCodes.InvalidText, false), (error.Code, error.Retryable));
    }

    [Fact]
    public async Task SendText_InvalidText_IsARefusalAndTheContextGoesOn()
    {
        using var bound = Speech.Bound();
        using var client = new SawtClient(cluster.Options());
        await using var connection = await client.ConnectAsync(bound.Token);
        await using var context = await connection.OpenContextAsync(Speech.English, bound.Token);

        await context.SendTextAsync("Good text first. ", cancellationToken: bound.Token);
        await context.SendTextAsync("bad \uFFFE text", cancellationToken: bound.Token);
        await context.EndAsync(bound.Token);
        var chunks = await Speech.CollectAsync(context, bound.Token);

        var refusal = Assert.Single(context.Refusals);
        Assert.Equal((ErrorCodes.InvalidText, context.ContextId), (refusal.Code, refusal.ContextId));
        Assert.Equal((await context.Completion)!.Chunks, chunks.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key-of-this-cluster")]
    public async Task Connect_WithoutAValidKey_ThrowsUnauthorized(string? apiKey)
    {
        using var bound = Speech.Bound();
        using var client = new SawtClient(cluster.Options(apiKey));

        var error = await Assert.ThrowsAsync<SawtException>(() => client.ConnectAsync(bound.Token));

        Assert.Equal((ErrorCodes.Unauthorized, 401, false), (error.Code, error.StatusCode, error.Retryable));
    }

    [Fact]
    public async Task Http_WithoutAValidKey_ThrowsUnauthorized()
    {
        using var bound = Speech.Bound();
        using var client = new SawtClient(cluster.Options("not-a-key-of-this-cluster"));

        var error = await Assert.ThrowsAsync<SawtException>(() => client.ListVoicesAsync(cancellationToken: bound.Token));

        Assert.Equal((ErrorCodes.Unauthorized, 401), (error.Code, error.StatusCode));
    }

    [Fact]
    public async Task Http_UnknownVoiceAndBadRequest_ThrowTheirCodesAndStatuses()
    {
        using var bound = Speech.Bound();
        using var client = new SawtClient(cluster.Options());

        var unknown = await Assert.ThrowsAsync<SawtException>(() => client.GetVoiceAsync("no-such-voice", bound.Token));
        var badId = await Assert.ThrowsAsync<SawtException>(() => client.SynthesizeAsync(new TtsRequest("Hello.", "en", Voice: "not an id!"), bound.Token));
        var badAudio = await Assert.ThrowsAsync<SawtException>(() => client.CreateVoiceAsync(new MemoryStream([1, 2, 3]), "broken", bound.Token));

        Assert.Equal((ErrorCodes.UnknownVoice, 404), (unknown.Code, unknown.StatusCode));
        Assert.Equal((ErrorCodes.InvalidRequest, 400), (badId.Code, badId.StatusCode));
        Assert.Equal((ErrorCodes.UnreadableAudio, 400), (badAudio.Code, badAudio.StatusCode));
    }
}
