namespace Sawt.Gateway.Audio;

/// <summary>The formats the gateway encodes with ffmpeg, by wire name.</summary>
internal static class TranscodedFormats
{
    // Rates the session produces (pcm_s16le) that the encoder also takes; Opus codes only at its own rates.
    private static readonly int[] PcmRates = [8000, 16000, 22050, 24000, 44100, 48000];
    private static readonly int[] OpusRates = [8000, 16000, 24000, 48000];

    /// <summary>
    /// MPEG-1/2 Layer III by LAME at 64 kbit/s CBR (mono 24 kHz speech; OpenAI's own mp3 is 24 kHz too). No ID3 tag
    /// and no Xing frame: a pipe cannot be rewound to fill the Xing frame in, and an empty one decodes as a frame of
    /// silence in decoders that do not know it.
    /// </summary>
    public static readonly TranscodedFormat Mp3 = new(
        "mp3", "audio/mpeg", "libmp3lame", ["-b:a", "64k", "-id3v2_version", "0", "-write_xing", "0", "-f", "mp3"], PcmRates);

    /// <summary>
    /// Opus by libopus in an Ogg container (RFC 7845), what OpenAI calls <c>opus</c>. Pages are flushed every 100 ms of
    /// audio, not the muxer's default second, so a streaming client can start playing early.
    /// </summary>
    public static readonly TranscodedFormat OggOpus = new(
        "ogg_opus", "audio/ogg", "libopus", ["-b:a", "32k", "-page_duration", "100000", "-f", "ogg"], OpusRates);

    /// <summary>AAC-LC by ffmpeg's native encoder in ADTS framing (self-delimiting frames, so it streams).</summary>
    public static readonly TranscodedFormat Aac = new(
        "aac", "audio/aac", "aac", ["-b:a", "64k", "-f", "adts"], PcmRates);

    /// <summary>FLAC (lossless); the STREAMINFO block cannot be rewritten on a pipe, so its total sample count is 0 (unknown).</summary>
    public static readonly TranscodedFormat Flac = new("flac", "audio/flac", "flac", ["-f", "flac"], PcmRates);

    /// <summary>16-bit PCM: only used to change the tempo (OpenAI's <c>speed</c> with <c>pcm</c> or <c>wav</c>).</summary>
    public static readonly TranscodedFormat Pcm16 = new(
        "pcm_s16le", "audio/pcm", "pcm_s16le", ["-f", "s16le"], PcmRates);

    /// <summary>The container formats a client may name as an encoding (<see cref="Pcm16"/> is internal).</summary>
    public static IReadOnlyList<TranscodedFormat> Containers { get; } = [Mp3, OggOpus, Aac, Flac];

    /// <summary>The container format named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static TranscodedFormat? Find(string name) =>
        Containers.FirstOrDefault(format => string.Equals(format.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
}
