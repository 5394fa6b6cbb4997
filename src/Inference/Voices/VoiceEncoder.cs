using Sawt.Inference.Audio;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;

namespace Sawt.Inference.Voices;

/// <summary>Runs the speech encoder on a reference clip to make <see cref="VoiceConditionals"/>.</summary>
public sealed class VoiceEncoder(ModelBundle bundle)
{
    private static readonly string[] OutputNames = ["audio_features", "audio_tokens", "speaker_embeddings", "speaker_features"];

    /// <summary>
    /// Encodes a clip at any accepted rate; it is checked and resampled to 24 kHz mono by
    /// <see cref="ReferenceAudio.PrepareFor24k(AudioClip)"/>, whose <see cref="InferenceException"/>s it throws.
    /// </summary>
    public VoiceConditionals Encode(AudioClip reference, CancellationToken cancellationToken = default)
    {
        var samples = ReferenceAudio.PrepareFor24k(reference).Samples;
        using var call = new OrtCall(bundle.Ledger).Input("audio_values", samples, 1, samples.Length);
        var outputs = call.Run(bundle.SpeechEncoder, OutputNames, "speech_encoder", cancellationToken);

        var features = outputs[0];
        var shape = features.GetTensorTypeAndShape().Shape;
        var mel = outputs[3];
        var melShape = mel.GetTensorTypeAndShape().Shape;
        return new VoiceConditionals(
            features.GetTensorDataAsSpan<float>().ToArray(),
            (int)shape[1],
            (int)shape[2],
            outputs[1].GetTensorDataAsSpan<long>().ToArray(),
            outputs[2].GetTensorDataAsSpan<float>().ToArray(),
            mel.GetTensorDataAsSpan<float>().ToArray(),
            (int)melShape[1]);
    }
}
