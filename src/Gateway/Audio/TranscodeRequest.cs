namespace Sawt.Gateway.Audio;

/// <summary>What one response's encoder is asked for: a format, the session's PCM rate, and a tempo (1 = unchanged).</summary>
internal sealed record TranscodeRequest(TranscodedFormat Format, int SampleRate, double Speed);
