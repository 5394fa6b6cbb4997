using Microsoft.ML.OnnxRuntime;

namespace Sawt.Inference.Tests.Synthetic;

[Trait("Category", "Unit")]
public sealed class SyntheticGraphTests(TinyBundleFixture bundle)
{
    [Fact]
    public void SpeechEncoder_ThreeSecondClip_OutputsFollowContract()
    {
        using var session = new InferenceSession(Path.Combine(bundle.Directory, "onnx", "speech_encoder.onnx"));
        var audio = new float[3 * 24000 + 500];
        for (var i = 0; i < audio.Length; i++)
        {
            audio[i] = 0.3f * MathF.Sin(i * 0.05f) + 0.1f * MathF.Sin(i * 0.31f);
        }

        using var input = OrtValue.CreateTensorValueFromMemory(audio, [1, audio.Length]);
        using var outputs = session.Run(new RunOptions(), ["audio_values"], [input], ["audio_features", "audio_tokens", "speaker_embeddings", "speaker_features"]);
        Assert.Equal([1L, 33, 64], outputs[0].GetTensorTypeAndShape().Shape);
        Assert.Equal([1L, 75], outputs[1].GetTensorTypeAndShape().Shape);
        Assert.Equal([1L, 192], outputs[2].GetTensorTypeAndShape().Shape);
        Assert.Equal([1L, 150, 80], outputs[3].GetTensorTypeAndShape().Shape);
        Assert.All(outputs[1].GetTensorDataAsSpan<long>().ToArray(), t => Assert.InRange(t, 0, 6560));
    }
}
