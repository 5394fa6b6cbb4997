namespace Sawt.Inference.Text;

/// <summary>
/// The resolved "single" template of a TemplateProcessing post-processor: the special-token ids before
/// and after the one <c>$A</c> sequence (for Chatterbox: [6563, 255] and [0, 6561, 6561]).
/// </summary>
internal sealed record TemplateWrapping(long[] Prefix, long[] Suffix);
