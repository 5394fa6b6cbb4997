using Sawt.Contracts.Workers;
using Sawt.Inference.Streaming;

namespace Sawt.Grains.Sessions;

/// <summary>A session's chunks decoded by its decoder worker grain, for the voice revision pinned at start.</summary>
internal sealed class DecoderWorkerChunkDecoder(IDecoderWorkerGrain decoder, string voiceId, string voiceRevision) : IChunkDecoder
{
    public async Task<float[]> DecodeAsync(long[] tokens, CancellationToken cancellationToken)
    {
        var bytes = await decoder.Decode(new DecodeJob(voiceId, tokens, voiceRevision), cancellationToken);

        // Raw float32 samples, block-copied by the worker the same way.
        var samples = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, samples, 0, bytes.Length);
        return samples;
    }
}
