namespace Sawt.Inference.Streaming;

/// <summary>Timings of one chunk, measured from the start of its stream.</summary>
/// <param name="ReadyAt">When the chunk was ready to send.</param>
/// <param name="DecodeTime">Time spent in the decoder call for this chunk.</param>
public sealed record ChunkTimings(TimeSpan ReadyAt, TimeSpan DecodeTime);
