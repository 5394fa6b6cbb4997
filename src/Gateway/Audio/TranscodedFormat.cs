namespace Sawt.Gateway.Audio;

/// <summary>
/// An output the gateway encodes itself with ffmpeg from the session's 16-bit PCM: a container format (mp3, Ogg
/// Opus, ADTS AAC, FLAC) or raw 16-bit PCM when only the tempo changes.
/// </summary>
/// <param name="Name">The wire name (<c>X-Encoding</c>, the WebSocket/HTTP <c>encoding</c>).</param>
/// <param name="ContentType">The HTTP content type of the stream.</param>
/// <param name="Encoder">ffmpeg's encoder (<c>-c:a</c>), which the start-up probe must find.</param>
/// <param name="OutputArguments">ffmpeg's arguments after the encoder: bit rate, muxer and its options.</param>
/// <param name="SampleRates">The rates the encoder takes; the session resamples to the one asked for.</param>
internal sealed record TranscodedFormat(
    string Name,
    string ContentType,
    string Encoder,
    IReadOnlyList<string> OutputArguments,
    IReadOnlyList<int> SampleRates);
