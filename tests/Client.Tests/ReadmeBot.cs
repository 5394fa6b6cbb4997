namespace Sawt.Client.Tests;

/// <summary>
/// The README's C# bot, compiled here so that it cannot rot: <see cref="ReadmeBotTests"/> runs it against the cluster
/// and checks that the README shows exactly the lines between the markers.
/// </summary>
internal static class ReadmeBot
{
    public static async Task SpeakAsync(Uri gateway, string apiKey, IAsyncEnumerable<string> llmReply, Action<AudioChunk> play, CancellationToken cancellationToken)
    {
        // README begin
        using var client = new SawtClient(new SawtClientOptions { BaseAddress = gateway, ApiKey = apiKey });
        await using var connection = await client.ConnectAsync(cancellationToken);
        await using var context = await connection.OpenContextAsync(new ContextOptions { Language = "en" }, cancellationToken);
        var speaking = context.StreamTextAsync(llmReply, cancellationToken); // the LLM's tokens, as they come
        await foreach (var chunk in context.ReadAudioAsync(cancellationToken))
        {
            play(chunk); // chunk.Data: float32 samples at chunk.Metadata.SampleRate, while the LLM still writes
        }

        await speaking;
        // README end
    }
}
