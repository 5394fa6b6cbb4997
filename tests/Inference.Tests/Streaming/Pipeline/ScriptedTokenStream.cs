using Sawt.Inference.Streaming;

namespace Sawt.Inference.Tests.Streaming.Pipeline;

/// <summary>One segment's scripted tokens; remembers the generation token it was started with and whether it was disposed.</summary>
internal sealed class ScriptedTokenStream(CallLog log, string segment, TokenScript script, CancellationToken generation) : ISegmentTokenStream
{
    private int _next;
    private int _reads;

    public string Segment => segment;

    public CancellationToken Generation => generation;

    public bool Disposed { get; private set; }

    public bool EndedWithStopToken { get; private set; }

    public ValueTask<bool> ReadAsync(List<long> tokens, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_reads++ == script.FailAfterReads)
        {
            throw script.Failure!;
        }

        if (_next >= script.Count)
        {
            log.Add($"end {segment}");
            EndedWithStopToken = script.StopToken;
            return ValueTask.FromResult(false);
        }

        for (var end = Math.Min(script.Count, _next + script.BatchSize); _next < end; _next++)
        {
            tokens.Add(TokenScript.Token(segment, _next));
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
