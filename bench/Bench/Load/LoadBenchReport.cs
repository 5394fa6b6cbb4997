namespace Sawt.Bench.Load;

/// <summary>A load run: what ran, against what, how long, and its <see cref="LoadResults"/>.</summary>
/// <param name="Target">The gateway URL, or the embedded cluster and its bundle.</param>
/// <param name="Contexts">Concurrent contexts.</param>
/// <param name="ContextsPerSocket">Contexts sharing one WebSocket.</param>
/// <param name="Sockets">WebSockets opened.</param>
/// <param name="Turns">Utterances per context, one after another.</param>
/// <param name="RampSeconds">Over which the contexts started.</param>
/// <param name="ThinkMilliseconds">Between a context's utterances.</param>
/// <param name="WordsPerPiece">Words per <c>text</c> message.</param>
/// <param name="PieceDelayMilliseconds">After each <c>text</c> message.</param>
/// <param name="RetryCodes">The error codes retried after their hint (none: no retry).</param>
/// <param name="MaxAttempts">Attempts per utterance at most (with retries).</param>
/// <param name="Language">The language sent.</param>
/// <param name="Text">The text of every utterance.</param>
/// <param name="WallSeconds">From the first context's start to the last one's end.</param>
/// <param name="Results">The figures and the verification.</param>
/// <param name="TextAtStart">The first piece went in the <c>synthesize</c>.</param>
internal sealed record LoadBenchReport(
    string Target,
    int Contexts,
    int ContextsPerSocket,
    int Sockets,
    int Turns,
    double RampSeconds,
    double ThinkMilliseconds,
    int WordsPerPiece,
    double PieceDelayMilliseconds,
    IReadOnlyList<string> RetryCodes,
    int MaxAttempts,
    string Language,
    string Text,
    double WallSeconds,
    LoadResults Results,
    bool TextAtStart = false);
