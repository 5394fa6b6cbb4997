using System.Text;
using Microsoft.Extensions.Logging;

namespace Sawt.Inference.Text;

/// <summary>
/// Steps 1-6 of the reference MTL encoding (model-contract.md section 5.2): punctuation normalisation,
/// lower-case, NFKD, the language step, the <c>[xx]</c> tag and <c>[SPACE]</c>. Language steps that need
/// models this engine does not ship (zh word segmentation, ja kanji to hiragana, he diacritics, ru stress)
/// pass the text through and log one note per instance and language. Thread-safe.
/// </summary>
internal sealed partial class MtlTextPreparer(CangjieTable? cangjie, ILogger logger)
{
    public const string SpaceToken = "[SPACE]";

    private int _zhNoted;
    private int _jaNoted;
    private int _heNoted;
    private int _ruNoted;

    /// <param name="text">Raw caller text.</param>
    /// <param name="language">A code already normalised by <see cref="SupportedLanguages.Normalize"/>.</param>
    /// <exception cref="InferenceException">
    /// <see cref="InferenceErrorCode.InvalidText"/> (see <see cref="TextValidation"/>): NFKD below throws on lone
    /// surrogates and non-characters, which must not surface as an internal error.
    /// </exception>
    public string Prepare(string text, string language)
    {
        TextValidation.Validate(text);
        text = PunctuationNormalizer.Normalize(text);
        text = PythonLowerCase.ToLower(text);
        text = text.Normalize(NormalizationForm.FormKD);
        text = ApplyLanguageStep(text, language);
        text = "[" + language + "]" + text;
        return text.Replace(" ", SpaceToken, StringComparison.Ordinal);
    }

    private string ApplyLanguageStep(string text, string language)
    {
        switch (language)
        {
            case "zh":
                if (cangjie is null)
                {
                    NoteOnce(ref _zhNoted, () => Log.CangjieTableUnavailable(logger));
                    return text;
                }

                NoteOnce(ref _zhNoted, () => Log.ChineseSegmenterUnavailable(logger));
                return cangjie.Convert(text);
            case "ja":
                // The reference converts kanji to hiragana with pykakasi and re-applies NFKD; without it
                // kanji reach the tokenizer as they are (most map to [UNK]).
                NoteOnce(ref _jaNoted, () => Log.LanguageStepUnavailable(logger, language, "kanji-to-hiragana conversion"));
                return text;
            case "he":
                NoteOnce(ref _heNoted, () => Log.LanguageStepUnavailable(logger, language, "diacritisation"));
                return text;
            case "ru":
                NoteOnce(ref _ruNoted, () => Log.LanguageStepUnavailable(logger, language, "stress marking"));
                return text;
            default:
                // ko: NFKD has already decomposed Hangul syllables into conjoining Jamo (U+1100 block),
                // which is exactly the reference's Jamo step. ar and the rest: nothing to do.
                return text;
        }
    }

    private static void NoteOnce(ref int flag, Action log)
    {
        if (Interlocked.Exchange(ref flag, 1) == 0)
        {
            log();
        }
    }
}
