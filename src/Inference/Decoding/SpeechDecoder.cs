using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Decoding;

/// <summary>
/// Turns speech tokens into 24 kHz audio with <c>conditional_decoder.onnx</c>: the voice's prompt
/// tokens followed by the generated ones go in, audio for the generated part (960 samples per token)
/// comes out. No silence tokens are appended (see docs/architecture-notes in README).
/// </summary>
public sealed class SpeechDecoder(ModelBundle bundle)
{
    private static readonly string[] OutputNames = ["waveform"];

    /// <summary>Decodes <paramref name="speechTokens"/> (each below 6561) for <paramref name="voice"/>.</summary>
    public float[] Decode(VoiceConditionals voice, ReadOnlySpan<long> speechTokens, CancellationToken cancellationToken = default)
    {
        if (speechTokens.IsEmpty)
        {
            return [];
        }

        var tokens = new long[voice.PromptTokens.Length + speechTokens.Length];
        voice.PromptTokens.CopyTo(tokens, 0);
        for (var i = 0; i < speechTokens.Length; i++)
        {
            var token = speechTokens[i];
            if (!SpeechTokenPostProcessor.IsSpeechToken(token))
            {
                throw new ArgumentOutOfRangeException(nameof(speechTokens), token, "Speech ids at or above 6561 must never reach the decoder.");
            }

            tokens[voice.PromptTokens.Length + i] = token;
        }

        using var call = new OrtCall(bundle.Ledger)
            .Input("speech_tokens", tokens, 1, tokens.Length)
            .Input("speaker_embeddings", voice.SpeakerEmbedding, 1, voice.SpeakerEmbedding.Length)
            .Input("speaker_features", voice.SpeakerFeatures, 1, voice.FeatureFrames, ChatterboxConstants.MelBins);
        return call.Run(bundle.ConditionalDecoder, OutputNames, "conditional_decoder", cancellationToken)[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
