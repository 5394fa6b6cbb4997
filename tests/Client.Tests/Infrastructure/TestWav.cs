namespace Sawt.Client.Tests.Infrastructure;

/// <summary>A reference clip the gateway accepts: 16-bit mono PCM WAV of a tone, long and loud enough to enrol.</summary>
internal static class TestWav
{
    public static byte[] Tone(double seconds = 2, int sampleRate = 16000)
    {
        var samples = (int)(seconds * sampleRate);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.ASCII, leaveOpen: true))
        {
            writer.Write("RIFF"u8);
            writer.Write(36 + (samples * 2));
            writer.Write("WAVE"u8);
            writer.Write("fmt "u8);
            writer.Write(16);
            writer.Write((short)1); // PCM
            writer.Write((short)1); // mono
            writer.Write(sampleRate);
            writer.Write(sampleRate * 2);
            writer.Write((short)2);
            writer.Write((short)16);
            writer.Write("data"u8);
            writer.Write(samples * 2);
            for (var i = 0; i < samples; i++)
            {
                writer.Write((short)(8000 * Math.Sin(2 * Math.PI * 220 * i / sampleRate)));
            }
        }

        return stream.ToArray();
    }
}
