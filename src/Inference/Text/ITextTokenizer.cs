namespace Sawt.Inference.Text;

/// <summary>
/// Turns caller text into the text ids of a bundle's layout: the multilingual grapheme tokenizer
/// (<see cref="ChatterboxTextTokenizer"/>) or Turbo's GPT-2 BPE. Callers (engine, T3 worker) see only this, so they do
/// not change per layout. Implementations are immutable after loading and thread-safe.
/// </summary>
public interface ITextTokenizer
{
    /// <summary>Prepares and tokenises <paramref name="text"/> for <paramref name="language"/>, template included.</summary>
    /// <exception cref="InferenceException">
    /// UnsupportedLanguage (a language the layout does not speak), EmptyText, TextTooLong or InvalidText.
    /// </exception>
    TokenizedText Encode(string text, string language);
}
