using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Streaming;

/// <summary>Reads one submitted sequence's token channel; the sequence ends with its handle's summary.</summary>
internal sealed class LocalTokenStream(GenerationHandle handle) : ISegmentTokenStream
{
    public bool EndedWithStopToken { get; private set; }

    public StopReason StopReason { get; private set; }

    public AlignmentWarnings AlignmentWarnings { get; private set; }

    public async ValueTask<bool> ReadAsync(List<long> tokens, CancellationToken cancellationToken)
    {
        if (await handle.Tokens.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (handle.Tokens.TryRead(out var token))
            {
                tokens.Add(token);
            }

            return true;
        }

        var summary = await handle.Completion.ConfigureAwait(false);
        EndedWithStopToken = summary.StopReason == StopReason.EndOfSpeech;
        StopReason = summary.StopReason;
        AlignmentWarnings = summary.AlignmentWarnings;
        return false;
    }

    // The sequence is dropped through the token its submission was given; nothing else to release here.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
