using System.Buffers;
using System.Globalization;
using System.Text;

namespace Sawt.Gateway.Protocol;

/// <summary>
/// A raw query string read strictly. ASP.NET Core's own parsing keeps malformed escapes as they are, replaces
/// invalid UTF-8 with U+FFFD and joins repeated parameters with commas, so a client would never learn its text was
/// mangled; here a malformed escape or a repeated parameter is <c>invalid_request</c> and undecodable text is
/// <c>invalid_text</c> (<see cref="TextRules"/>). Values are decoded when asked for, so unknown parameters are
/// ignored whatever they hold. <c>+</c> is a space (form encoding).
/// </summary>
internal sealed class QueryParameters
{
    private readonly Dictionary<string, List<string>> _raw = new(StringComparer.Ordinal);

    /// <param name="rawQuery">The query as received, still percent-encoded, with or without the leading '?'.</param>
    public QueryParameters(string? rawQuery)
    {
        var query = (rawQuery ?? string.Empty).TrimStart('?');
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = equals < 0 ? (pair, string.Empty) : (pair[..equals], pair[(equals + 1)..]);

            // A name that does not decode cannot be one the gateway reads: ignored like any unknown parameter.
            if (TryDecode(name, out var decodedName))
            {
                if (!_raw.TryGetValue(decodedName, out var values))
                {
                    _raw[decodedName] = values = [];
                }

                values.Add(value);
            }
        }
    }

    /// <summary>The decoded value of <paramref name="name"/>, or null when absent.</summary>
    public string? Get(string name)
    {
        if (!_raw.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, $"Query parameter '{name}' is given more than once.");
        }

        var subject = $"Query parameter '{name}'";
        var bytes = PercentDecode(values[0]);
        if (bytes is null)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, $"{subject} has a malformed percent-escape ('%' must be followed by two hex digits).");
        }

        return TextRules.DecodeUtf8(bytes, jsonEscapes: false, subject);
    }

    private static bool TryDecode(string raw, out string decoded)
    {
        decoded = string.Empty;
        if (PercentDecode(raw) is not { } bytes || !TextRules.TryDecodeUtf8(bytes, jsonEscapes: false, out var text))
        {
            return false;
        }

        decoded = text;
        return true;
    }

    /// <summary>UTF-8 bytes of a percent-encoded value, or null for a malformed escape.</summary>
    private static byte[]? PercentDecode(string raw)
    {
        var bytes = new ArrayBufferWriter<byte>(Math.Max(raw.Length, 1));
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length
                    || !byte.TryParse(raw.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var escaped))
                {
                    return null;
                }

                bytes.Write([escaped]);
                i += 2;
            }
            else if (c == '+')
            {
                bytes.Write(" "u8);
            }
            else
            {
                // Raw characters past ASCII (a server that passes them through) are taken as the UTF-8 they were.
                var count = Encoding.UTF8.GetBytes(raw.AsSpan(i, char.IsHighSurrogate(c) && i + 1 < raw.Length ? 2 : 1), utf8);
                bytes.Write(utf8[..count]);
                i += char.IsHighSurrogate(c) && i + 1 < raw.Length ? 1 : 0;
            }
        }

        return bytes.WrittenSpan.ToArray();
    }
}
