using System.Collections.Frozen;

namespace Sawt.Inference.Audio.Formats;

/// <summary>
/// One stream's output format: an encoding and the sample rate the client receives. The engine always produces
/// 24 kHz mono float; encoders resample to <see cref="SampleRate"/> when it differs.
/// </summary>
/// <remarks>
/// Build it with <see cref="Parse"/> or <see cref="Create"/>, which validate; the positional constructor does not,
/// so <see cref="AudioEncoderFactory.Create"/> validates again.
/// </remarks>
public sealed record AudioFormat(AudioEncoding Encoding, int SampleRate)
{
    /// <summary>The engine's native rate; formats at this rate need no resampling.</summary>
    public const int EngineSampleRate = 24000;

    private static readonly int[] PcmRates = [8000, 16000, 22050, 24000, 44100, 48000];
    private static readonly int[] G711Rates = [8000];

    // Opus encodes only at its own rates. The default is 24000, not 48000: it is the engine's rate (no resampling,
    // no extra latency or CPU), and Opus codes 24 kHz input up to 12 kHz audio bandwidth (super-wideband), which is all
    // the engine produces; 48 kHz would only upsample to encode nothing above 12 kHz. Any Opus decoder can still
    // decode at 48 kHz.
    private static readonly int[] OpusRates = [8000, 12000, 16000, 24000, 48000];

    private static readonly FrozenDictionary<string, AudioEncoding> Names = new Dictionary<string, AudioEncoding>(
        StringComparer.OrdinalIgnoreCase)
    {
        ["pcm_f32le"] = AudioEncoding.Float32,
        ["f32le"] = AudioEncoding.Float32,
        ["float32"] = AudioEncoding.Float32,
        ["float"] = AudioEncoding.Float32,
        ["pcm_s16le"] = AudioEncoding.Pcm16,
        ["s16le"] = AudioEncoding.Pcm16,
        ["pcm16"] = AudioEncoding.Pcm16,
        ["linear16"] = AudioEncoding.Pcm16,
        ["mulaw"] = AudioEncoding.MuLaw,
        ["ulaw"] = AudioEncoding.MuLaw,
        ["pcm_mulaw"] = AudioEncoding.MuLaw,
        ["mu-law"] = AudioEncoding.MuLaw,
        ["alaw"] = AudioEncoding.ALaw,
        ["pcm_alaw"] = AudioEncoding.ALaw,
        ["a-law"] = AudioEncoding.ALaw,
        ["opus"] = AudioEncoding.Opus,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>24 kHz float32: the engine's own output, passed through untouched.</summary>
    public static AudioFormat Default { get; } = new(AudioEncoding.Float32, EngineSampleRate);

    /// <summary>The canonical wire name: <c>pcm_f32le</c>, <c>pcm_s16le</c>, <c>mulaw</c>, <c>alaw</c> or <c>opus</c>.</summary>
    public string Name => CanonicalName(Encoding);

    /// <summary>
    /// Content type for the stream: <c>audio/pcm;rate=R;encoding=f32le|s16le</c>, <c>audio/basic</c> (8 kHz mu-law,
    /// RFC 2046), <c>audio/x-alaw-basic</c>, or <c>audio/opus</c> for bare Opus packets (no Ogg container; see
    /// <see cref="OpusChunkEncoder"/> for the framing).
    /// </summary>
    public string MimeType => Encoding switch
    {
        AudioEncoding.Float32 => $"audio/pcm;rate={SampleRate};encoding=f32le",
        AudioEncoding.Pcm16 => $"audio/pcm;rate={SampleRate};encoding=s16le",
        AudioEncoding.MuLaw => "audio/basic",
        AudioEncoding.ALaw => "audio/x-alaw-basic",
        _ => "audio/opus",
    };

    /// <summary>Bytes per second of the encoded stream, or null where it varies (Opus).</summary>
    public int? BytesPerSecond => BytesPerSample is { } bytes ? bytes * SampleRate : null;

    /// <summary>Bytes per sample, or null for Opus (packetised, variable bit rate).</summary>
    public int? BytesPerSample => Encoding switch
    {
        AudioEncoding.Float32 => 4,
        AudioEncoding.Pcm16 => 2,
        AudioEncoding.MuLaw or AudioEncoding.ALaw => 1,
        _ => null,
    };

    /// <summary>
    /// Parses a client's encoding name (case-insensitive: <c>pcm_f32le</c>/<c>float32</c>, <c>pcm_s16le</c>/<c>pcm16</c>/
    /// <c>linear16</c>, <c>mulaw</c>/<c>ulaw</c>/<c>pcm_mulaw</c>, <c>alaw</c>/<c>pcm_alaw</c>, <c>opus</c>) and an optional
    /// rate (default: 8000 for G.711, otherwise 24000).
    /// </summary>
    /// <exception cref="InferenceException"><see cref="InferenceErrorCode.InvalidOptions"/> for an unknown name or an
    /// unsupported rate.</exception>
    public static AudioFormat Parse(string encoding, int? sampleRate)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        if (!Names.TryGetValue(encoding.Trim(), out var parsed))
        {
            throw new InferenceException(
                InferenceErrorCode.InvalidOptions,
                $"Unknown audio encoding '{encoding}'; use one of pcm_f32le, pcm_s16le, mulaw, alaw, opus.");
        }

        return Create(parsed, sampleRate);
    }

    /// <summary>A validated format; <paramref name="sampleRate"/> null picks the encoding's default.</summary>
    /// <exception cref="InferenceException"><see cref="InferenceErrorCode.InvalidOptions"/> for an unsupported rate.</exception>
    public static AudioFormat Create(AudioEncoding encoding, int? sampleRate)
    {
        var format = new AudioFormat(encoding, sampleRate ?? DefaultRate(encoding));
        format.EnsureSupported();
        return format;
    }

    /// <summary>Throws unless this encoding/rate pair is one the encoders support.</summary>
    /// <exception cref="InferenceException"><see cref="InferenceErrorCode.InvalidOptions"/>.</exception>
    public void EnsureSupported()
    {
        if (!Enum.IsDefined(Encoding))
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, $"Unknown audio encoding value {(int)Encoding}.");
        }

        var rates = SupportedRates(Encoding);
        if (Array.IndexOf(rates, SampleRate) < 0)
        {
            var why = Encoding switch
            {
                AudioEncoding.MuLaw or AudioEncoding.ALaw => "G.711 is defined at 8000 Hz only",
                AudioEncoding.Opus => "Opus encodes only at its own rates",
                _ => "supported rates",
            };
            throw new InferenceException(
                InferenceErrorCode.InvalidOptions,
                $"Sample rate {SampleRate} Hz is not supported for {Name} ({why}: {string.Join(", ", rates)}).");
        }
    }

    public override string ToString() => $"{Name}@{SampleRate}";

    /// <summary>The rates <see cref="EnsureSupported"/> accepts for <paramref name="encoding"/>, ascending.</summary>
    public static IReadOnlyList<int> GetSupportedRates(AudioEncoding encoding) => Array.AsReadOnly(SupportedRates(encoding));

    private static int[] SupportedRates(AudioEncoding encoding) => encoding switch
    {
        AudioEncoding.MuLaw or AudioEncoding.ALaw => G711Rates,
        AudioEncoding.Opus => OpusRates,
        _ => PcmRates,
    };

    private static int DefaultRate(AudioEncoding encoding) =>
        encoding is AudioEncoding.MuLaw or AudioEncoding.ALaw ? 8000 : EngineSampleRate;

    private static string CanonicalName(AudioEncoding encoding) => encoding switch
    {
        AudioEncoding.Float32 => "pcm_f32le",
        AudioEncoding.Pcm16 => "pcm_s16le",
        AudioEncoding.MuLaw => "mulaw",
        AudioEncoding.ALaw => "alaw",
        AudioEncoding.Opus => "opus",
        _ => $"encoding {(int)encoding}",
    };
}
