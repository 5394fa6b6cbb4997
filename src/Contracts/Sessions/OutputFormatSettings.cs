namespace Sawt.Contracts.Sessions;

/// <summary>
/// The audio encoding a session emits. Encodings: <c>pcm_f32le</c> (float32), <c>pcm_s16le</c> (16-bit PCM) at
/// 8000, 16000, 22050, 24000, 44100 or 48000 Hz; <c>mulaw</c> and <c>alaw</c> at 8000 Hz; <c>opus</c> at 8000,
/// 12000, 16000, 24000 or 48000 Hz. Null rate: 24000 (8000 for G.711).
/// </summary>
[GenerateSerializer, Immutable, Alias("sawt.output-format")]
public sealed record OutputFormatSettings
{
    /// <summary>Encoding wire name (aliases like <c>float32</c>, <c>pcm16</c>, <c>linear16</c>, <c>ulaw</c> are accepted).</summary>
    [Id(0)] public string Encoding { get; init; } = "pcm_f32le";

    /// <summary>Output sample rate in Hz; null takes the encoding's default.</summary>
    [Id(1)] public int? SampleRate { get; init; }
}
