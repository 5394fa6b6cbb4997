using Sawt.Inference.Text;

namespace Sawt.Inference.Tests.Turbo;

/// <summary>
/// A stand-in for the Turbo tokenizer with the Turbo template's shape: one id per character, spread over the GPT-2
/// range, then the two 50256. Not GPT-2 BPE; it only gives the engine tests text ids whose count follows the text.
/// </summary>
internal sealed class ScriptedTurboTokenizer : ITextTokenizer
{
    public int MaxTextIds => 1000;

    public int MaxTextLength => 1000;

    public TokenizedText Encode(string text, string language)
    {
        if (language != TurboConstants.Language)
        {
            throw new InferenceException(InferenceErrorCode.UnsupportedLanguage, $"Language '{language}' is not supported by Turbo.");
        }

        long[] ids = [.. text.Select(c => (long)(c * 7919 % TurboConstants.TemplateSpeechId)), TurboConstants.TemplateSpeechId, TurboConstants.TemplateSpeechId];
        return new TokenizedText(ids, 0, ids.Length - 3, text);
    }
}
