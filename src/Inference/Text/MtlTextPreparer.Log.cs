using Microsoft.Extensions.Logging;

namespace Sawt.Inference.Text;

internal sealed partial class MtlTextPreparer
{
    /// <summary>Event ids 3110-3119 (Inference range, text preparation).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3110, Level = LogLevel.Warning,
            Message = "Cangjie5_TC.json is not in the bundle: Chinese characters pass through unconverted and text is not word-segmented; quality for zh will suffer")]
        public static partial void CangjieTableUnavailable(ILogger logger);

        [LoggerMessage(EventId = 3111, Level = LogLevel.Information,
            Message = "No Chinese word segmenter is available: zh text is Cangjie-encoded without word boundaries")]
        public static partial void ChineseSegmenterUnavailable(ILogger logger);

        [LoggerMessage(EventId = 3112, Level = LogLevel.Information,
            Message = "Language {Language}: the reference {Step} step is not available; text passes through unchanged")]
        public static partial void LanguageStepUnavailable(ILogger logger, string language, string step);
    }
}
