using Sawt.Contracts.Workers;
using Sawt.Inference.Streaming;

namespace Sawt.Grains.Sessions;

/// <summary>
/// A session's chunks decoded by its decoder worker grain, for the voice revision pinned at start. Decoding is a pure
/// function of the tokens, so a call to a worker that went away is made again on its replacement. The session's quality
/// tier (null: the worker's default variant) travels with every chunk, and the first is marked as the first.
/// </summary>
internal sealed class DecoderWorkerChunkDecoder(WorkerChoice<IDecoderWorkerGrain> decoder, string voiceId, string voiceRevision, string? quality = null) : IChunkDecoder
{
    private bool _first = true;

    public async Task<float[]> DecodeAsync(long[] tokens, CancellationToken cancellationToken)
    {
        // The session's first chunk is marked, so the worker can tell what first audio costs there now.
        var job = new DecodeJob(voiceId, tokens, voiceRevision, quality, First: _first);
        _first = false;
        var worker = decoder.Current;
        byte[] bytes;
        while (true)
        {
            try
            {
                bytes = await worker.Decode(job, cancellationToken);
                break;
            }
            catch (Exception ex) when (WorkerFailures.IsWorkerGone(ex) && !cancellationToken.IsCancellationRequested)
            {
                var next = await decoder.ReplaceAsync(worker);
                if (next is null)
                {
                    throw;
                }

                worker = next;
            }
        }

        // Raw float32 samples, block-copied by the worker the same way.
        var samples = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, samples, 0, bytes.Length);
        return samples;
    }
}
