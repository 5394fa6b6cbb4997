using System.Text;

namespace Sawt.Inference.Text;

/// <summary>
/// GPT-2's <c>bytes_to_unicode</c>: the byte-level BPE files (vocab.json, tokenizer.json) spell every byte as
/// one printable character so tokens are JSON strings. Bytes 33..126, 161..172 and 174..255 stand for
/// themselves; the other 68 bytes (controls, space, DEL, NBSP, soft hyphen) become U+0100 onwards in byte
/// order, so a space is "Ġ" (U+0120).
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByte = ByteToChar.Select((c, b) => (c, (byte)b)).ToDictionary(p => p.c, p => p.Item2);

    /// <summary>Spells <paramref name="bytes"/> in the byte-level alphabet.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            builder.Append(ByteToChar[b]);
        }

        return builder.ToString();
    }

    /// <summary>The bytes a byte-level token stands for, or null when it holds a character outside the alphabet.</summary>
    public static byte[]? Decode(string token)
    {
        var bytes = new byte[token.Length];
        for (var i = 0; i < token.Length; i++)
        {
            if (!CharToByte.TryGetValue(token[i], out var b))
            {
                return null;
            }

            bytes[i] = b;
        }

        return bytes;
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= 33 and <= 126 or >= 161 and <= 172 or >= 174 and <= 255;
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }
}
