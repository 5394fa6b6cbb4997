using System.Globalization;

namespace Sawt.Gateway.Audio;

/// <summary>ffmpeg's command line for one response: 16-bit mono PCM on stdin, the encoded stream on stdout.</summary>
internal static class FfmpegArguments
{
    public static IReadOnlyList<string> For(TranscodeRequest request)
    {
        var rate = request.SampleRate.ToString(CultureInfo.InvariantCulture);
        List<string> arguments =
        [
            // -nostdin: stdin carries audio, never keyboard commands. Errors only: stderr is kept for the failure message.
            "-hide_banner", "-nostdin", "-loglevel", "error",
            "-f", "s16le", "-ar", rate, "-ac", "1", "-i", "pipe:0",
        ];
        if (!TempoFilter.IsIdentity(request.Speed))
        {
            arguments.AddRange(["-filter:a", TempoFilter.For(request.Speed)]);
        }

        // -flush_packets 1: every packet goes to the pipe as soon as it is muxed, not when ffmpeg's I/O buffer fills.
        arguments.AddRange(["-c:a", request.Format.Encoder, "-ar", rate, "-ac", "1"]);
        arguments.AddRange(request.Format.OutputArguments);
        arguments.AddRange(["-flush_packets", "1", "pipe:1"]);
        return arguments;
    }
}
