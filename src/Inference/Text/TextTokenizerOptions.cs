namespace Sawt.Inference.Text;

/// <summary>Input limits of <see cref="ChatterboxTextTokenizer"/>.</summary>
public sealed class TextTokenizerOptions
{
    /// <summary>Default for <see cref="MaxTextIds"/>; the learned text position table has 2050 rows.</summary>
    public const int DefaultMaxTextIds = 2048;

    /// <summary>Default for <see cref="MaxTextLength"/>.</summary>
    public const int DefaultMaxTextLength = 5000;

    /// <summary>Most text ids, <c>[START]</c> to <c>[STOP]</c> inclusive, one request may produce.</summary>
    public int MaxTextIds { get; init; } = DefaultMaxTextIds;

    /// <summary>Most UTF-16 characters of raw text accepted; checked before any processing.</summary>
    public int MaxTextLength { get; init; } = DefaultMaxTextLength;
}
