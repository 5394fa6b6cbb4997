using Sawt.Inference.Streaming;

namespace Sawt.Inference.Tests.Streaming.Pipeline;

/// <summary>
/// Decodes every token to <see cref="ChatterboxConstants.SamplesPerToken"/> samples equal to its id, so stitched audio
/// says which tokens it holds. Logs "decode A 1000-1012". Call number <see cref="FailOnCall"/> throws
/// <see cref="Failure"/>; during call number <see cref="CancelOnCall"/> it cancels <see cref="Cancel"/> and still returns audio.
/// </summary>
internal sealed class ScriptedDecoder(CallLog log) : IChunkDecoder
{
    private int _calls;

    public int FailOnCall { get; init; } = -1;

    public Exception? Failure { get; init; }

    public int CancelOnCall { get; init; } = -1;

    public CancellationTokenSource? Cancel { get; init; }

    public Task<float[]> DecodeAsync(long[] tokens, CancellationToken cancellationToken)
    {
        var call = ++_calls;
        log.Add($"decode {TokenScript.SegmentOf(tokens[0])} {tokens[0]}-{tokens[^1]}");
        if (call == FailOnCall)
        {
            return Task.FromException<float[]>(Failure!);
        }

        if (call == CancelOnCall)
        {
            Cancel!.Cancel();
        }

        return Task.FromResult(tokens.SelectMany(t => Enumerable.Repeat((float)t, ChatterboxConstants.SamplesPerToken)).ToArray());
    }
}
