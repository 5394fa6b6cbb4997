using System.Globalization;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Audio;

/// <summary>
/// The container encodings of <c>output_format.encoding</c> (<c>mp3</c>, <c>ogg_opus</c>, <c>aac</c>, <c>flac</c>),
/// which the gateway encodes: the session is asked for 16-bit PCM at the requested rate instead. Every other
/// encoding is the session's, passed on unchanged.
/// </summary>
internal static class ContainerEncoding
{
    /// <summary>The session to start and the encoder its audio goes through (null: the session's own encoding).</summary>
    /// <exception cref="ProtocolException"><c>invalid_options</c> for a rate the format does not take; <c>encoder_unavailable</c>.</exception>
    public static (SessionStart Session, Transcoding? Transcoding) Resolve(SessionStart start, AudioEncoders encoders)
    {
        if (TranscodedFormats.Find(start.Output.Encoding) is not { } format)
        {
            return (start, null);
        }

        var rate = start.Output.SampleRate ?? 24000;
        if (!format.SampleRates.Contains(rate))
        {
            throw new ProtocolException(
                ErrorCodes.InvalidOptions,
                $"Sample rate {rate} Hz is not supported for {format.Name} (supported rates: {string.Join(", ", format.SampleRates.Select(r => r.ToString(CultureInfo.InvariantCulture)))}).");
        }

        encoders.EnsureAvailable(format);
        var session = start with { Output = new OutputFormatSettings { Encoding = "pcm_s16le", SampleRate = rate } };
        return (session, new Transcoding(encoders, new TranscodeRequest(format, rate, 1.0)));
    }
}
