using Sawt.Client.Tests.Infrastructure;

namespace Sawt.Client.Tests;

/// <summary>The client against the real embedded cluster: incremental text, several contexts on one socket, cancel.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ClusterContextTests(ClientClusterFixture cluster)
{
    [Fact]
    public async Task IncrementalText_StreamedInPieces_IsSpokenInOrderToDone()
    {
        using var bound = Speech.Bound();
        string[] pieces = ["Hello ", "there, ", "friend. ", "How are ", "you ", "today?"];
        using var client = new SawtClient(cluster.Options());
        await using var connection = await client.ConnectAsync(bound.Token);
        await using var context = await connection.OpenContextAsync(Speech.English, bound.Token);

        var speaking = context.StreamTextAsync(Speech.Stream(pieces), bound.Token);
        var chunks = await Speech.CollectAsync(context, bound.Token);
        await speaking;
        var done = await context.Completion;

        Assert.NotNull(context.SessionId);
        Assert.NotNull(done);
        Assert.NotEmpty(chunks);
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Metadata.Sequence));
        Assert.Equal(done.Chunks, chunks.Count);
        Assert.True(chunks[^1].Metadata.IsFinal);
        Assert.All(chunks, c => Assert.Equal((context.ContextId, "pcm_s16le", 16000, c.Metadata.Bytes), (c.Metadata.ContextId, c.Metadata.Encoding, c.Metadata.SampleRate, c.Data.Length)));

        // The bytes are the audio the figures describe (1 ms of rounding per chunk at most), and the spans lie in the text sent.
        var milliseconds = chunks.Sum(c => c.Data.Length) / (double)Speech.BytesPerMillisecond;
        Assert.InRange(milliseconds, done.AudioMilliseconds - chunks.Count, done.AudioMilliseconds + chunks.Count);
        Assert.All(chunks, c => Assert.InRange(c.Metadata.TextStart + c.Metadata.TextLength, 0, string.Concat(pieces).Length));
        Assert.Empty(context.Refusals);
    }

    [Fact]
    public async Task SeveralContexts_OneSocket_EachGetsOnlyItsOwnAudioInOrder()
    {
        using var bound = Speech.Bound();
        using var client = new SawtClient(cluster.Options());
        await using var connection = await client.ConnectAsync(bound.Token);
        string[] texts = ["The first voice speaks.", "A second one answers here.", "And a third joins them now."];

        var runs = texts.Select(async text =>
        {
            await using var context = await connection.OpenContextAsync(Speech.English, bound.Token);
            await context.SendTextAsync(text, cancellationToken: bound.Token);
            await context.EndAsync(bound.Token);
            return (context.ContextId, Chunks: await Speech.CollectAsync(context, bound.Token), Done: await context.Completion);
        }).ToList();
        var results = await Task.WhenAll(runs);

        Assert.Equal(texts.Length, results.Select(r => r.ContextId).Distinct().Count());
        Assert.All(results, r =>
        {
            Assert.NotEmpty(r.Chunks);
            Assert.All(r.Chunks, c => Assert.Equal(r.ContextId, c.Metadata.ContextId));
            Assert.Equal(Enumerable.Range(0, r.Chunks.Count), r.Chunks.Select(c => c.Metadata.Sequence));
            Assert.Equal(r.Done!.Chunks, r.Chunks.Count);
        });
    }

    [Fact]
    public async Task Cancel_MidUtterance_EndsCancelledAndTheSocketGoesOn()
    {
        using var bound = Speech.Bound();
        using var client = new SawtClient(cluster.Options());
        await using var connection = await client.ConnectAsync(bound.Token);
        await using var context = await connection.OpenContextAsync(Speech.English, bound.Token);

        // No end: the context would wait for more text forever; only the cancel ends it.
        await context.SendTextAsync(string.Concat(Enumerable.Repeat("This sentence keeps the voice busy. ", 8)), flush: true, bound.Token);
        var received = 0;
        await foreach (var chunk in context.ReadAudioAsync(bound.Token))
        {
            if (received++ == 0)
            {
                await context.CancelAsync(bound.Token);
            }
        }

        Assert.True(received >= 1);
        Assert.Null(await context.Completion);
        var (chunks, done) = await Speech.SpeakAsync(connection, "Still speaking after the cancel.", bound.Token);
        Assert.Equal(done.Chunks, chunks.Count);
    }
}
