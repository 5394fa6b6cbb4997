namespace Sawt.Inference.Text;

/// <summary>
/// One model family's <c>punc_norm</c> table (model-contract.md section 5.1): replacements applied in order,
/// and the characters after which no "." is appended.
/// </summary>
/// <param name="Replacements">Applied in order; order matters ("..." before ",", " - " before "–").</param>
/// <param name="SentenceEnders">A text ending in one of these gets no ".".</param>
internal sealed record PunctuationRules(IReadOnlyList<(string Old, string New)> Replacements, string SentenceEnders)
{
    /// <summary>
    /// Multilingual: the reference table, plus the Arabic enders <c>؟ ، ؛</c> (the Arabic forms of "?", ","
    /// and ";", whose Latin forms already end a sentence in the reference, ";" via its ", " replacement).
    /// The ";" rule matches only U+003B, so the Arabic semicolon U+061B is kept as written.
    /// </summary>
    public static PunctuationRules Multilingual { get; } = new(
        [
            ("...", ", "),
            ("\u2026", ", "),
            (":", ","),
            (" - ", ", "),
            (";", ", "),
            ("\u2014", "-"),
            ("\u2013", "-"),
            (" ,", ","),
            ("\u201C", "\""),
            ("\u201D", "\""),
            ("\u2018", "'"),
            ("\u2019", "'"),
        ],
        ".!?-,\u3001\uFF0C\u3002\uFF1F\uFF01\u061F\u060C\u061B");

    /// <summary>
    /// Turbo (resemble-ai/chatterbox <c>tts_turbo.py</c>): the multilingual table without the "...", " - "
    /// and ";" rules (GPT-2's BPE has tokens for those), and only the Latin enders.
    /// </summary>
    public static PunctuationRules Turbo { get; } = new(
        [
            ("\u2026", ", "),
            (":", ","),
            ("\u2014", "-"),
            ("\u2013", "-"),
            (" ,", ","),
            ("\u201C", "\""),
            ("\u201D", "\""),
            ("\u2018", "'"),
            ("\u2019", "'"),
        ],
        ".!?-,");
}
