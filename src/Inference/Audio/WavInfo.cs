namespace Sawt.Inference.Audio;

/// <summary>What a WAV header says about its samples, read without decoding them (<see cref="WavReader.ReadInfo"/>).</summary>
/// <param name="Channels">Interleaved channels per frame (at least 1).</param>
/// <param name="SampleRate">Frames per second (at least 1).</param>
/// <param name="Frames">Whole frames present in the data chunk (at least 1).</param>
public readonly record struct WavInfo(int Channels, int SampleRate, long Frames);
