namespace Sawt.Inference.Streaming;

/// <summary>How one <see cref="UtterancePipeline"/> runs; the engine and the session grain differ only here and in the ports.</summary>
public sealed class UtterancePipelineOptions
{
    /// <summary>Chunk schedule, context, hold-back, cross-fade and sentence pause.</summary>
    public required StreamingOptions Streaming { get; init; }

    /// <summary>Drop the last token's audio of a segment that ended with the stop token (model-contract.md 7.3).</summary>
    public bool TrimFinalToken { get; init; }

    /// <summary>
    /// Resume every await on the caller's context. A grain sets it: its ports read grain state and call other grains,
    /// which must happen on the activation's scheduler. The engine leaves it off (it has no context worth keeping).
    /// </summary>
    public bool ContinueOnCapturedContext { get; init; }

    /// <summary>Clock for chunk timings; a test or a grain passes its own.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Called after every read of tokens with the samples the stream will hold once the current segment's tokens so far
    /// are spoken (pauses included, before any of that audio is emitted); throw to stop the utterance there.
    /// </summary>
    public Action<long>? CheckProjectedSamples { get; init; }
}
