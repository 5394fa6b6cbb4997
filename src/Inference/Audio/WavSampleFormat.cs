namespace Sawt.Inference.Audio;

/// <summary>Sample encodings <see cref="WavWriter"/> can produce.</summary>
public enum WavSampleFormat
{
    /// <summary>Signed 16-bit integer PCM (format tag 1); input is clipped to [-1, 1] and rounded.</summary>
    Pcm16,

    /// <summary>IEEE 754 float32 (format tag 3), written as is.</summary>
    Float32,
}
