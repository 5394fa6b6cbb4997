using Microsoft.Extensions.Logging;

namespace Sawt.Inference.Text;

public sealed partial class ChatterboxTextTokenizer
{
    /// <summary>Event ids 3100-3109 (Inference range, tokenizer).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3100, Level = LogLevel.Information,
            Message = "Text tokenizer loaded: {TokenCount} tokens, {AddedTokenCount} added tokens, {CangjieEntryCount} Cangjie entries")]
        public static partial void TokenizerLoaded(ILogger logger, int tokenCount, int addedTokenCount, int cangjieEntryCount);

        [LoggerMessage(EventId = 3101, Level = LogLevel.Debug,
            Message = "Encoded {TextLength} characters of {Language} text into {TextIdCount} text ids")]
        public static partial void TextEncoded(ILogger logger, string language, int textLength, int textIdCount);
    }
}
