namespace Sawt.Client;

/// <summary>A whole synthesis from <c>POST /v1/tts</c>.</summary>
/// <param name="Audio">The body: a WAV file for PCM encodings, else the encoded stream (mp3, ...).</param>
/// <param name="ContentType">The response's content type, e.g. <c>audio/wav</c>.</param>
public sealed record SynthesizedAudio(byte[] Audio, string? ContentType);
