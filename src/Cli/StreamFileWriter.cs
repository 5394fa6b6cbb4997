using Sawt.Inference.Audio;
using Sawt.Inference.Audio.Formats;

namespace Sawt.Cli;

/// <summary>
/// Writes encoded chunks to a file as they come: the raw stream, or a WAV file whose header is written first with no
/// samples and rewritten with the final count by <see cref="Complete"/> (so the file needs no second pass over the audio).
/// </summary>
internal sealed class StreamFileWriter
{
    private readonly Stream _file;
    private readonly AudioFormat _format;
    private readonly WavSampleFormat? _wav;
    private long _dataBytes;

    public StreamFileWriter(Stream file, AudioFormat format, WavSampleFormat? wav)
    {
        _file = file;
        _format = format;
        _wav = wav;
        if (wav is { } sampleFormat)
        {
            _file.Write(WavWriter.CreateHeader(0, format.SampleRate, sampleFormat));
        }
    }

    public void Write(byte[] bytes)
    {
        _file.Write(bytes);
        _dataBytes += bytes.Length;
    }

    /// <summary>Fills in the WAV header's sizes (nothing to do for a raw stream) and flushes.</summary>
    public void Complete()
    {
        if (_wav is { } sampleFormat)
        {
            var samples = _dataBytes / _format.BytesPerSample!.Value;
            if (samples > int.MaxValue)
            {
                throw new IOException($"{samples} samples do not fit in a WAV file.");
            }

            var end = _file.Position;
            _file.Position = 0;
            _file.Write(WavWriter.CreateHeader((int)samples, _format.SampleRate, sampleFormat));
            _file.Position = end;
        }

        _file.Flush();
    }
}
