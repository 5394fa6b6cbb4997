namespace Sawt.Inference.Audio;

/// <summary>WAVE_FORMAT_* codes used by the reader and writer (mmreg.h).</summary>
internal static class WavFormatTags
{
    public const ushort Pcm = 0x0001;
    public const ushort IeeeFloat = 0x0003;
    public const ushort Extensible = 0xFFFE;

    /// <summary>A short human name for the error message when a tag is not supported.</summary>
    public static string Describe(ushort tag) => tag switch
    {
        0x0000 => "unknown (0)",
        0x0002 => "Microsoft ADPCM",
        0x0006 => "A-law",
        0x0007 => "mu-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG",
        0x0055 => "MPEG Layer 3 (mp3)",
        0x00FF => "AAC",
        0x1610 => "HE-AAC",
        0x2000 => "AC-3",
        0x674F or 0x6750 or 0x6751 or 0x676F or 0x6770 or 0x6771 => "Ogg Vorbis",
        0xF1AC => "FLAC",
        _ => "unrecognised",
    };
}
