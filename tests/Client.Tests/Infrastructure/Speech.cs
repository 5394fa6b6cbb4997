using Sawt.Protocol;

namespace Sawt.Client.Tests.Infrastructure;

/// <summary>Helpers of the cluster tests: bounded waits, reading a context to its end, a token stream.</summary>
internal static class Speech
{
    /// <summary>English, 16-bit PCM at 16 kHz: byte counts convert exactly to milliseconds.</summary>
    public static readonly ContextOptions English = new() { Language = "en", OutputFormat = new OutputFormat("pcm_s16le", 16000) };

    public const int BytesPerMillisecond = 16000 * 2 / 1000;

    /// <summary>
    /// The test's token, cut off after <paramref name="seconds"/>: a cluster test that works takes a few seconds, so
    /// one that hangs fails with a cancellation instead of holding the run.
    /// </summary>
    public static CancellationTokenSource Bound(int seconds = 90)
    {
        var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(seconds));
        return bound;
    }

    public static async Task<List<AudioChunk>> CollectAsync(SawtContext context, CancellationToken cancellationToken)
    {
        var chunks = new List<AudioChunk>();
        await foreach (var chunk in context.ReadAudioAsync(cancellationToken))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    /// <summary>Pieces as an LLM streams them: each one a separate await.</summary>
    public static async IAsyncEnumerable<string> Stream(params string[] pieces)
    {
        foreach (var piece in pieces)
        {
            await Task.Yield();
            yield return piece;
        }
    }

    /// <summary>Speaks <paramref name="text"/> whole on a new context and reads it to its end.</summary>
    public static async Task<(List<AudioChunk> Chunks, DoneMessage Done)> SpeakAsync(SawtConnection connection, string text, CancellationToken cancellationToken)
    {
        await using var context = await connection.OpenContextAsync(English, cancellationToken);
        await context.SendTextAsync(text, cancellationToken: cancellationToken);
        await context.EndAsync(cancellationToken);
        var chunks = await CollectAsync(context, cancellationToken);
        return (chunks, (await context.Completion)!);
    }
}
