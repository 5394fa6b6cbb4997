using System.Threading.Channels;

namespace Sawt.Inference.Generation;

/// <summary>
/// A submitted sequence: its speech tokens (ids below 6561, in order) as they are generated, and its
/// summary when it ends. Cancelling the token passed to Submit drops it at the next step boundary.
/// </summary>
public sealed class GenerationHandle
{
    internal GenerationHandle(T3Sequence sequence, ChannelReader<long> tokens, Task<GenerationSummary> completion)
    {
        Sequence = sequence;
        Tokens = tokens;
        Completion = completion;
    }

    /// <summary>Speech tokens as generated; completes when the sequence ends (faulted on failure, cancelled on cancel).</summary>
    public ChannelReader<long> Tokens { get; }

    /// <summary>Completes after the last token is written.</summary>
    public Task<GenerationSummary> Completion { get; }

    /// <summary>The step cap of this sequence.</summary>
    public int MaxSteps => Sequence.MaxSteps;

    internal T3Sequence Sequence { get; }
}
