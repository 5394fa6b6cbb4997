using Microsoft.Extensions.Logging;

namespace Sawt.Inference.Text;

public sealed partial class TurboTextTokenizer
{
    /// <summary>Event ids 3102-3103 (Inference range, tokenizer; 3100-3101 are the multilingual tokenizer's).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3102, Level = LogLevel.Information,
            Message = "Turbo text tokenizer loaded: GPT-2 vocabulary of {TokenCount} tokens, {TagCount} paralinguistic tags")]
        public static partial void TokenizerLoaded(ILogger logger, int tokenCount, int tagCount);

        [LoggerMessage(EventId = 3103, Level = LogLevel.Debug,
            Message = "Encoded {TextLength} characters of Turbo text into {TextIdCount} ids")]
        public static partial void TextEncoded(ILogger logger, int textLength, int textIdCount);
    }
}
