namespace Sawt.Inference.Tests.Streaming.Pipeline;

/// <summary>
/// How one segment generates: <paramref name="Count"/> tokens in reads of <paramref name="BatchSize"/>, ending with the
/// stop token or not; or failing with <paramref name="Failure"/> after <paramref name="FailAfterReads"/> reads.
/// </summary>
internal sealed record TokenScript(int Count, int BatchSize, bool StopToken = true, int FailAfterReads = -1, Exception? Failure = null)
{
    /// <summary>Token ids tell where they come from: segment "A" gives 1000, 1001, ...; "B" gives 2000, ...</summary>
    public static long Token(string segment, int index) => ((segment[0] - 'A' + 1) * 1000) + index;

    /// <summary>The segment a token came from.</summary>
    public static string SegmentOf(long token) => ((char)('A' + (token / 1000) - 1)).ToString();
}
