namespace Sawt.Inference.Audio.Formats;

/// <summary>How streamed audio is encoded on the wire. Values are stable.</summary>
public enum AudioEncoding
{
    /// <summary>32-bit IEEE float, little-endian, nominal range [-1, 1] (<c>pcm_f32le</c>).</summary>
    Float32 = 1,

    /// <summary>16-bit signed integer PCM, little-endian (<c>pcm_s16le</c>).</summary>
    Pcm16 = 2,

    /// <summary>G.711 mu-law, one byte per sample, 8 kHz (<c>mulaw</c>).</summary>
    MuLaw = 3,

    /// <summary>G.711 A-law, one byte per sample, 8 kHz (<c>alaw</c>).</summary>
    ALaw = 4,

    /// <summary>Opus packets of 20 ms, mono (<c>opus</c>); see <see cref="OpusChunkEncoder"/> for the framing.</summary>
    Opus = 5,
}
