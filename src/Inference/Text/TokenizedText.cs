namespace Sawt.Inference.Text;

/// <summary>
/// Text ids ready for <c>embed_tokens</c>: the full tokenizer.json template, e.g.
/// <c>[6563, 255, ..., 0, 6561, 6561]</c> (multilingual) or <c>[..., 50256, 50256]</c> (Turbo).
/// </summary>
/// <param name="Ids">All template ids.</param>
/// <param name="TextStartIndex">Index of <c>[START]</c> (255) in <paramref name="Ids"/>; for Turbo, which has none, of the first text id (0).</param>
/// <param name="TextStopIndex">Index of <c>[STOP]</c> (0) in <paramref name="Ids"/>; for Turbo, of the last text id (before the two 50256).</param>
/// <param name="PreparedText">The text after preparation (multilingual: tag and <c>[SPACE]</c> included); user content, never log it.</param>
public sealed record TokenizedText(long[] Ids, int TextStartIndex, int TextStopIndex, string PreparedText)
{
    /// <summary>Number of text ids from <c>[START]</c> to <c>[STOP]</c> inclusive (Turbo: the BPE and tag ids).</summary>
    public int TextIdCount => TextStopIndex - TextStartIndex + 1;
}
