namespace Sawt.Inference.Streaming;

/// <summary>One segment's speech tokens as they are generated. Read by one caller; disposing it abandons the rest.</summary>
public interface ISegmentTokenStream : IAsyncDisposable
{
    /// <summary>
    /// Waits for tokens and appends those generated since the last call to <paramref name="tokens"/> (possibly none);
    /// false once generation has ended and every token was read. A failed generation throws its error here.
    /// </summary>
    ValueTask<bool> ReadAsync(List<long> tokens, CancellationToken cancellationToken);

    /// <summary>Known once <see cref="ReadAsync"/> returned false: the model ended the segment with its stop token (not the step cap).</summary>
    bool EndedWithStopToken { get; }

    /// <summary>Known once <see cref="ReadAsync"/> returned false: why generation ended.</summary>
    Sampling.StopReason StopReason => EndedWithStopToken ? Sampling.StopReason.EndOfSpeech : Sampling.StopReason.None;

    /// <summary>Known once <see cref="ReadAsync"/> returned false: what the alignment guard saw (v2 graphs).</summary>
    Sampling.AlignmentWarnings AlignmentWarnings => Sampling.AlignmentWarnings.None;
}
