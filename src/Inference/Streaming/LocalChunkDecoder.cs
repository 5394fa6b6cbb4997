using Sawt.Inference.Decoding;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Streaming;

/// <summary>Decodes chunks with the engine's own decoder, off the caller's thread (the decoder call is synchronous and long).</summary>
internal sealed class LocalChunkDecoder(SpeechDecoder decoder, VoiceConditionals voice) : IChunkDecoder
{
    public Task<float[]> DecodeAsync(long[] tokens, CancellationToken cancellationToken) =>
        Task.Run(() => decoder.Decode(voice, tokens, cancellationToken), cancellationToken);
}
