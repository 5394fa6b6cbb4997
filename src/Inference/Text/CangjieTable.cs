using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sawt.Inference.Text;

/// <summary>
/// The reference ChineseCangjieConverter (model-contract.md section 5.4) over Cangjie5_TC.json, a JSON
/// array of "char\tcode" strings. A character's code is the last one listed for it; its index is its
/// first position among all characters listed under that code. Immutable after load.
/// </summary>
internal sealed class CangjieTable
{
    private readonly Dictionary<string, (string Code, int Index)> _entries;

    private CangjieTable(Dictionary<string, (string Code, int Index)> entries) => _entries = entries;

    public int Count => _entries.Count;

    public static CangjieTable Load(string path)
    {
        var fileName = Path.GetFileName(path);
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the root is not a JSON array");
            }

            var codeOf = new Dictionary<string, string>(StringComparer.Ordinal);
            var charsOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var line in document.RootElement.EnumerateArray())
            {
                var text = line.GetString() ?? throw new FormatException("an entry is null");
                var parts = text.Split('\t');
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                {
                    throw new FormatException($"entry '{text}' is not \"char<TAB>code\"");
                }

                // Code letters become [cj_<letter>] tokens, which the tokenizer only has in lower case.
                var code = parts[1].ToLowerInvariant();
                codeOf[parts[0]] = code;
                if (!charsOf.TryGetValue(code, out var chars))
                {
                    chars = [];
                    charsOf[code] = chars;
                }

                chars.Add(parts[0]);
            }

            var entries = new Dictionary<string, (string, int)>(codeOf.Count, StringComparer.Ordinal);
            foreach (var (glyph, code) in codeOf)
            {
                entries[glyph] = (code, charsOf[code].IndexOf(glyph));
            }

            return new CangjieTable(entries);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new InferenceException(InferenceErrorCode.BundleMetadataInvalid, $"{fileName} ('{path}') is invalid: {ex.Message}.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InferenceException(InferenceErrorCode.BundleFileMissing, $"{fileName} at '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Replaces every Lo character found in the table by <c>[cj_x]</c> per code letter, then one
    /// <c>[cj_d]</c> per digit of its index when the index is above 0, then <c>[cj_.]</c>.
    /// </summary>
    public string Convert(string text)
    {
        var builder = new StringBuilder(text.Length * 4);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherLetter
                && _entries.TryGetValue(rune.ToString(), out var entry))
            {
                var code = entry.Index > 0 ? entry.Code + entry.Index.ToString(CultureInfo.InvariantCulture) : entry.Code;
                foreach (var c in code)
                {
                    builder.Append("[cj_").Append(c).Append(']');
                }

                builder.Append("[cj_.]");
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }
}
