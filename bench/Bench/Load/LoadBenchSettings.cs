using Sawt.Bench.Engine;

namespace Sawt.Bench.Load;

/// <summary>What the load bench runs: where, how many contexts, how they type and retry.</summary>
internal sealed record LoadBenchSettings
{
    /// <summary>The default reply: two sentences, as a voice bot says in one turn.</summary>
    public const string DefaultText = "Your table is booked for seven. We will send a reminder soon.";

    /// <summary>A running gateway's HTTP address; null starts the embedded cluster with <see cref="Bundle"/>.</summary>
    public Uri? Url { get; init; }

    public string? ApiKey { get; init; }

    public required BenchBundleChoice Bundle { get; init; }

    /// <summary>ONNX Runtime intra-op threads of the embedded cluster's workers.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Concurrent contexts (each a bot's conversation: <see cref="Turns"/> utterances in turn).</summary>
    public int Contexts { get; init; } = 50;

    public int ContextsPerSocket { get; init; } = 10;

    /// <summary>Utterances per context, one after another with <see cref="Think"/> between them.</summary>
    public int Turns { get; init; } = 1;

    /// <summary>Context k starts at k / Contexts of the ramp.</summary>
    public TimeSpan Ramp { get; init; } = TimeSpan.Zero;

    public TimeSpan Think { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Words per <c>text</c> message, as an LLM streams them.</summary>
    public int WordsPerPiece { get; init; } = 2;

    public TimeSpan PieceDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The first piece goes in the <c>synthesize</c> itself, so its first sentence is admitted (or refused) before <c>started</c>.</summary>
    public bool TextAtStart { get; init; }

    /// <summary>Error codes after which an utterance starts again as a new context, after the error's retry hint (<c>busy</c> with <c>--retry-busy</c>).</summary>
    public IReadOnlyList<string> RetryCodes { get; init; } = [];

    /// <summary>Attempts per utterance when retrying, the first included.</summary>
    public int MaxAttempts { get; init; } = 30;

    /// <summary>The wait before a retry when the error carries no hint.</summary>
    public TimeSpan DefaultRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public string Text { get; init; } = DefaultText;

    public string Language { get; init; } = "en";

    /// <summary>How long one attempt may take, from opening to its terminal message, before it counts as <c>timeout</c>.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public int Sockets => (Contexts + ContextsPerSocket - 1) / ContextsPerSocket;

    /// <summary>The text cut into <c>text</c> messages of <see cref="WordsPerPiece"/> words, spaces kept, so they concatenate to it.</summary>
    public IReadOnlyList<string> Pieces()
    {
        var words = Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Chunk(WordsPerPiece)
            .Select((group, index) => string.Join(' ', group) + ((index + 1) * WordsPerPiece < words.Length ? " " : string.Empty))
            .ToList();
    }
}
