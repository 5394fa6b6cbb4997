namespace Sawt.Inference.Text;

/// <summary>A run of text: an added token when <see cref="TokenId"/> is set, otherwise plain text for BPE.</summary>
internal readonly record struct TextSegment(int Start, int Length, int? TokenId);
