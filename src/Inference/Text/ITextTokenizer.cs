namespace Sawt.Inference.Text;

/// <summary>
/// Turns caller text into the ids a bundle's <c>embed_tokens</c> graph takes, template included: the
/// multilingual <see cref="ChatterboxTextTokenizer"/> or the English <see cref="TurboTextTokenizer"/>.
/// Implementations are immutable after loading; <see cref="Encode"/> is thread-safe.
/// </summary>
public interface ITextTokenizer
{
    /// <summary>Most text ids one text may produce (what counts is documented per implementation).</summary>
    int MaxTextIds { get; }

    /// <summary>Most UTF-16 characters of raw text accepted.</summary>
    int MaxTextLength { get; }

    /// <summary>Prepares and tokenises <paramref name="text"/> for <paramref name="language"/>.</summary>
    /// <exception cref="InferenceException">
    /// UnsupportedLanguage, EmptyText, TextTooLong or InvalidText; never for a bundle problem (those fail at load).
    /// </exception>
    TokenizedText Encode(string text, string language);
}
