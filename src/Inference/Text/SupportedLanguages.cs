using System.Collections.Frozen;

namespace Sawt.Inference.Text;

/// <summary>
/// The 23 language codes the multilingual Chatterbox model was trained on (model-contract.md section 5.5).
/// Codes are lower-case ISO 639-1; each has a single <c>[xx]</c> tag token in tokenizer.json.
/// </summary>
public static class SupportedLanguages
{
    /// <summary>All supported codes, sorted.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "ar", "da", "de", "el", "en", "es", "fi", "fr", "he", "hi", "it", "ja",
        "ko", "ms", "nl", "no", "pl", "pt", "ru", "sv", "sw", "tr", "zh",
    ];

    private static readonly FrozenSet<string> Codes = All.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="code"/> names a supported language (case-insensitive, surrounding whitespace ignored).</summary>
    public static bool IsSupported(string? code) =>
        code is not null && Codes.Contains(code.Trim().ToLowerInvariant());

    /// <summary>
    /// Returns the canonical lower-case code for <paramref name="code"/>.
    /// </summary>
    /// <exception cref="InferenceException"><see cref="InferenceErrorCode.UnsupportedLanguage"/> when the code is not supported.</exception>
    public static string Normalize(string? code)
    {
        var normalized = code?.Trim().ToLowerInvariant();
        if (normalized is null || !Codes.Contains(normalized))
        {
            var shown = code is null ? "(none)" : $"'{code}'";
            throw new InferenceException(
                InferenceErrorCode.UnsupportedLanguage,
                $"Language {shown} is not supported. Supported codes: {string.Join(", ", All)}.");
        }

        return normalized;
    }
}
