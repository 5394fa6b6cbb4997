using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Decoding;

/// <summary>
/// Turns speech tokens into 24 kHz audio with a decoder graph (<c>conditional_decoder*.onnx</c>): the voice's prompt
/// tokens followed by the generated ones go in, audio for the generated part (960 samples per token) comes out. No
/// silence tokens are appended (see docs/architecture-notes in README). Thread-safe: each call runs on its own.
/// </summary>
public sealed class SpeechDecoder(ModelBundle bundle)
{
    private static readonly string[] OutputNames = ["waveform"];

    /// <summary>The loaded decoder variants, the default first.</summary>
    public IReadOnlyList<LoadedDecoder> Variants => bundle.Decoders;

    /// <summary>The deployment's default variant (the first configured).</summary>
    public LoadedDecoder Default => bundle.Decoders[0];

    /// <summary>
    /// The loaded variant a quality tier maps to: <see cref="DecoderQuality.Fast"/> the fewest estimator calls,
    /// <see cref="DecoderQuality.Best"/> the most, <see cref="DecoderQuality.Balanced"/> the default. Ties keep the
    /// configured order.
    /// </summary>
    public LoadedDecoder Select(DecoderQuality quality) => quality switch
    {
        DecoderQuality.Fast => Variants.MinBy(v => v.Schedule.EstimatorCalls)!,
        DecoderQuality.Best => Variants.MaxBy(v => v.Schedule.EstimatorCalls)!,
        _ => Default,
    };

    /// <summary>Decodes <paramref name="speechTokens"/> (each below 6561) for <paramref name="voice"/> with the default variant.</summary>
    public float[] Decode(VoiceConditionals voice, ReadOnlySpan<long> speechTokens, CancellationToken cancellationToken = default) =>
        Decode(voice, speechTokens, Default, cancellationToken);

    /// <summary>Decodes <paramref name="speechTokens"/> (each below 6561) for <paramref name="voice"/> with <paramref name="decoder"/>.</summary>
    public float[] Decode(VoiceConditionals voice, ReadOnlySpan<long> speechTokens, LoadedDecoder decoder, CancellationToken cancellationToken = default) =>
        speechTokens.IsEmpty ? [] : DecodeBatch([new DecoderRow(voice, speechTokens.ToArray())], decoder, cancellationToken)[0];

    /// <summary>
    /// Decodes several rows in one graph call. Every row must have the same <see cref="DecoderRow.ShapeKey"/> (the graph
    /// takes no padding mask; see there); each row's audio equals what a call of its own would give.
    /// </summary>
    public float[][] DecodeBatch(IReadOnlyList<DecoderRow> rows, LoadedDecoder decoder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(decoder);
        if (rows.Count == 0)
        {
            return [];
        }

        var shape = rows[0].ShapeKey;
        if (shape.Tokens == 0)
        {
            throw new ArgumentException("A decoder row needs at least one token.", nameof(rows));
        }

        var width = shape.PromptTokens + shape.Tokens;
        var embedding = rows[0].Voice.SpeakerEmbedding.Length;
        var tokens = new long[rows.Count * width];
        var embeddings = new float[rows.Count * embedding];
        var features = new float[rows.Count * shape.FeatureFrames * ChatterboxConstants.MelBins];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.ShapeKey != shape || row.Voice.SpeakerEmbedding.Length != embedding)
            {
                throw new ArgumentException("Rows of one decoder call must have equal prompt, token and mel lengths.", nameof(rows));
            }

            row.Voice.PromptTokens.CopyTo(tokens, r * width);
            for (var i = 0; i < row.Tokens.Length; i++)
            {
                var token = row.Tokens[i];
                if (!SpeechTokenPostProcessor.IsSpeechToken(token))
                {
                    throw new ArgumentOutOfRangeException(nameof(rows), token, "Speech ids at or above 6561 must never reach the decoder.");
                }

                tokens[(r * width) + shape.PromptTokens + i] = token;
            }

            row.Voice.SpeakerEmbedding.CopyTo(embeddings, r * embedding);
            row.Voice.SpeakerFeatures.AsSpan(0, shape.FeatureFrames * ChatterboxConstants.MelBins).CopyTo(features.AsSpan(r * shape.FeatureFrames * ChatterboxConstants.MelBins));
        }

        using var call = new OrtCall(bundle.Ledger)
            .Input("speech_tokens", tokens, rows.Count, width)
            .Input("speaker_embeddings", embeddings, rows.Count, embedding)
            .Input("speaker_features", features, rows.Count, shape.FeatureFrames, ChatterboxConstants.MelBins);
        var waveform = call.Run(decoder.Session, OutputNames, Path.GetFileName(decoder.Path), cancellationToken)[0];
        var samples = waveform.GetTensorDataAsSpan<float>();
        var perRow = samples.Length / rows.Count;
        var result = new float[rows.Count][];
        for (var r = 0; r < rows.Count; r++)
        {
            result[r] = samples.Slice(r * perRow, perRow).ToArray();
        }

        return result;
    }
}
