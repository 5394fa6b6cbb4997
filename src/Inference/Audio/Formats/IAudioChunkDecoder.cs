namespace Sawt.Inference.Audio.Formats;

/// <summary>
/// Turns one stream's encoded chunks (as <see cref="IAudioChunkEncoder"/> emits them) back into mono float samples at
/// <see cref="SampleRate"/>. For tests and the bench, i.e. the client side.
/// </summary>
internal interface IAudioChunkDecoder : IDisposable
{
    AudioFormat Format { get; }

    /// <summary>The rate of the decoded samples: the format's, except Opus, which decodes at 48 kHz.</summary>
    int SampleRate { get; }

    /// <summary>Decodes one chunk exactly as an encoder returned it (whole samples, whole length-prefixed packets).</summary>
    float[] Decode(ReadOnlySpan<byte> chunk);
}
