namespace Sawt.Inference.Streaming;

/// <summary>
/// Turns each decoder call's audio into the samples to emit: drops the context part, keeps the held-back
/// tail, and cross-fades the start of the new audio with the previous call's tail (noise and phase are
/// redrawn per call by the real decoder, so the same tokens never decode identically twice).
/// </summary>
public sealed class ChunkStitcher(StreamingOptions options)
{
    private const int Token = ChatterboxConstants.SamplesPerToken;
    private float[] _tail = [];

    /// <param name="plan">The plan the audio was decoded for.</param>
    /// <param name="decoded">Audio of tokens [ContextStart, DecodeEnd): 960 samples per token.</param>
    /// <param name="trimFinalToken">On the final chunk after STOP, drop the last token's 960 samples.</param>
    public float[] Stitch(DecodePlan plan, ReadOnlySpan<float> decoded, bool trimFinalToken)
    {
        var expected = (plan.DecodeEnd - plan.ContextStart) * Token;
        if (decoded.Length != expected)
        {
            throw new InferenceException(InferenceErrorCode.RuntimeFailure,
                $"The decoder returned {decoded.Length} samples for {plan.DecodeEnd - plan.ContextStart} tokens; expected {expected} (960 per token).");
        }

        var region = decoded[((plan.EmitStart - plan.ContextStart) * Token)..];
        var emitLength = (plan.EmitEnd - plan.EmitStart) * Token;
        var emitted = region[..emitLength].ToArray();
        CrossFade(emitted);
        _tail = plan.IsFinal ? [] : region[emitLength..].ToArray();
        if (plan.IsFinal && trimFinalToken && emitted.Length >= Token)
        {
            emitted = emitted[..^Token];
        }

        return emitted;
    }

    private void CrossFade(Span<float> start)
    {
        var length = Math.Min(options.CrossFadeSamples, Math.Min(_tail.Length, start.Length));
        for (var i = 0; i < length; i++)
        {
            // Raised cosine: the old tail fades out as the new audio fades in; weights sum to 1.
            var w = 0.5 - (0.5 * Math.Cos(Math.PI * (i + 0.5) / length));
            start[i] = (float)((_tail[i] * (1 - w)) + (start[i] * w));
        }
    }
}
