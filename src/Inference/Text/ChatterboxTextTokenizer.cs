using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sawt.Inference.Text;

/// <summary>
/// Turns caller text into the multilingual Chatterbox text ids (model-contract.md section 5): the
/// reference MTL preparation followed by the bundle's tokenizer.json (BPE, Whitespace pre-tokenizer,
/// TemplateProcessing). Immutable after <see cref="Load(string, ILogger?)"/>; <see cref="Encode"/> is thread-safe.
/// </summary>
public sealed partial class ChatterboxTextTokenizer : ITextTokenizer
{
    public const string TokenizerFileName = "tokenizer.json";
    public const string CangjieFileName = "Cangjie5_TC.json";

    private readonly HfTokenizer _tokenizer;
    private readonly MtlTextPreparer _preparer;
    private readonly ILogger _logger;

    private ChatterboxTextTokenizer(HfTokenizer tokenizer, MtlTextPreparer preparer, TextTokenizerOptions options, ILogger logger)
    {
        _tokenizer = tokenizer;
        _preparer = preparer;
        _logger = logger;
        MaxTextIds = options.MaxTextIds;
        MaxTextLength = options.MaxTextLength;
    }

    /// <summary>Most text ids (<c>[START]</c> to <c>[STOP]</c> inclusive) one text may produce.</summary>
    public int MaxTextIds { get; }

    /// <summary>Most UTF-16 characters of raw text accepted.</summary>
    public int MaxTextLength { get; }

    /// <summary>Whether the bundle carried Cangjie5_TC.json (zh is degraded without it).</summary>
    public bool HasCangjieTable { get; private init; }

    /// <summary>Loads tokenizer.json (required) and Cangjie5_TC.json (optional) from a bundle directory with default limits.</summary>
    /// <exception cref="InferenceException">BundleFileMissing or BundleMetadataInvalid, naming the file.</exception>
    public static ChatterboxTextTokenizer Load(string bundleDirectory, ILogger? logger = null) =>
        Load(bundleDirectory, new TextTokenizerOptions(), logger);

    /// <summary>Loads tokenizer.json (required) and Cangjie5_TC.json (optional) from a bundle directory.</summary>
    /// <exception cref="InferenceException">BundleFileMissing or BundleMetadataInvalid, naming the file.</exception>
    public static ChatterboxTextTokenizer Load(string bundleDirectory, TextTokenizerOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(bundleDirectory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTextIds, 3, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTextLength, 1, nameof(options));
        logger ??= NullLogger.Instance;

        var tokenizerPath = Path.Combine(bundleDirectory, TokenizerFileName);
        var tokenizer = HfTokenizerJson.Load(tokenizerPath);
        RequireAddedToken(tokenizer, tokenizerPath, MtlTextPreparer.SpaceToken);
        foreach (var language in SupportedLanguages.All)
        {
            RequireAddedToken(tokenizer, tokenizerPath, "[" + language + "]");
        }

        var cangjiePath = Path.Combine(bundleDirectory, CangjieFileName);
        var cangjie = File.Exists(cangjiePath) ? CangjieTable.Load(cangjiePath) : null;

        Log.TokenizerLoaded(logger, tokenizer.VocabularySize, tokenizer.AddedTokenIds.Count, cangjie?.Count ?? 0);
        return new ChatterboxTextTokenizer(tokenizer, new MtlTextPreparer(cangjie, logger), options, logger)
        {
            HasCangjieTable = cangjie is not null,
        };
    }

    /// <summary>Prepares and tokenises <paramref name="text"/> for <paramref name="language"/>.</summary>
    /// <exception cref="InferenceException">
    /// UnsupportedLanguage, EmptyText (empty or whitespace-only), TextTooLong (over <see cref="MaxTextLength"/>
    /// characters, or over <see cref="MaxTextIds"/> text ids), or InvalidText (see <see cref="TextValidation"/>).
    /// </exception>
    public TokenizedText Encode(string text, string language)
    {
        var code = SupportedLanguages.Normalize(language);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InferenceException(InferenceErrorCode.EmptyText, "The text is empty or contains only whitespace; there is nothing to speak.");
        }

        if (text.Length > MaxTextLength)
        {
            throw new InferenceException(
                InferenceErrorCode.TextTooLong,
                $"The text has {text.Length} characters; at most {MaxTextLength} are accepted per request. Split it into shorter requests.");
        }

        // Preparation validates the text first (InvalidText), before NFKD could throw on it.
        var prepared = _preparer.Prepare(text, code);
        var sequence = _tokenizer.EncodeSequence(prepared);
        var template = _tokenizer.Template;

        var textIdCount = sequence.Count + 2;
        if (textIdCount > MaxTextIds)
        {
            throw new InferenceException(
                InferenceErrorCode.TextTooLong,
                $"The text produced {textIdCount} text tokens; at most {MaxTextIds} fit the model. Split it into shorter requests.");
        }

        var ids = new long[template.Prefix.Length + sequence.Count + template.Suffix.Length];
        template.Prefix.CopyTo(ids, 0);
        sequence.CopyTo(ids, template.Prefix.Length);
        template.Suffix.CopyTo(ids, template.Prefix.Length + sequence.Count);

        var start = template.Prefix.Length - 1;
        var stop = template.Prefix.Length + sequence.Count;
        Log.TextEncoded(_logger, code, text.Length, textIdCount);
        return new TokenizedText(ids, start, stop, prepared);
    }

    private static void RequireAddedToken(HfTokenizer tokenizer, string path, string token)
    {
        if (!tokenizer.AddedTokenIds.ContainsKey(token))
        {
            throw new InferenceException(
                InferenceErrorCode.BundleMetadataInvalid,
                $"{Path.GetFileName(path)} ('{path}') is invalid: it has no added token '{token}', which the multilingual text pipeline needs.");
        }
    }
}
