using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sawt.Inference.Synthetic;

/// <summary>
/// Writes project-built stand-ins for the multilingual bundle's tokenizer files: <c>tokenizer.json</c>
/// (HF format: BPE, Whitespace pre-tokenizer, TemplateProcessing), <c>tokenizer_config.json</c> and a
/// small <c>Cangjie5_TC.json</c>. Every id that model-contract.md section 5.3 lists, and every id its
/// golden vectors use, is the real one; the remaining ids up to 2453 hold graphemes (Latin, Greek,
/// Cyrillic, Arabic, Hebrew, Devanagari, kana, combining marks, punctuation) so text in every supported
/// language tokenises without [UNK], and unused slots hold unreachable placeholders. Those other ids,
/// and the names of the tokens 6561 and 6563, are this project's choice, not the real file's.
/// </summary>
public static class SyntheticTokenizerFiles
{
    /// <summary>Name given to id 6561 (start of speech) in the synthetic file. The real name is unconfirmed.</summary>
    public const string SpeechStartToken = "[SPEECH_START]";

    /// <summary>Name given to id 6563 (exaggeration slot) in the synthetic file. The real name is unconfirmed.</summary>
    public const string ExaggerationToken = "[EXAGGERATION]";

    /// <summary>Text ids are 0..TextVocabularySize-1.</summary>
    public const int TextVocabularySize = 2454;

    /// <summary>Writes tokenizer.json, tokenizer_config.json and Cangjie5_TC.json into <paramref name="directory"/> (created if needed).</summary>
    public static void Write(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        var vocabulary = BuildVocabulary();
        File.WriteAllBytes(Path.Combine(directory, "tokenizer.json"), WriteTokenizerJson(vocabulary));
        File.WriteAllBytes(Path.Combine(directory, "tokenizer_config.json"), WriteTokenizerConfig());
        File.WriteAllBytes(Path.Combine(directory, "Cangjie5_TC.json"), WriteCangjie());
    }

    /// <summary>The id of <paramref name="token"/> in the synthetic vocabulary.</summary>
    internal static int IdOf(string token) =>
        BuildVocabulary().ById.Single(entry => entry.Value == token).Key;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Merges in rank order with the ids of their results where the contract fixes them (-1 = any free id).</summary>
    /// <remarks>
    /// Chosen so the golden words tokenise as the real file does: no merge may join y-e, h-o, r-e, o-u,
    /// a-u, a-i, l-a, a-f or e-U+0301, and "yo"/"ar" must exist for "you"/"are".
    /// </remarks>
    private static readonly (string Left, string Right, int Id)[] Merges =
    [
        ("i", "t", 60),
        ("e", "s", 61),
        ("o", "w", 69),
        ("y", "o", -1),
        ("yo", "u", 74),
        ("a", "r", -1),
        ("ar", "e", 127),
        ("c", "a", 183),
        ("f", "e", 132),
        ("t", "h", -1),
        ("th", "e", -1),
        ("i", "n", -1),
        ("in", "g", -1),
        ("e", "r", -1),
        ("a", "n", -1),
        ("an", "d", -1),
        ("o", "n", -1),
        ("e", "n", -1),
        ("s", "t", -1),
    ];

    /// <summary>Language tag ids: fr, es, de, en, ko, zh are real; the others are this project's choice.</summary>
    private static readonly (string Language, int Id)[] LanguageTags =
    [
        ("fr", 634), ("es", 635), ("de", 636), ("en", 708), ("ko", 724), ("zh", 725),
        ("ar", 637), ("da", 638), ("el", 639), ("fi", 640), ("he", 641), ("hi", 642), ("it", 643),
        ("ja", 644), ("ms", 645), ("nl", 646), ("no", 647), ("pl", 648), ("pt", 649), ("ru", 650),
        ("sv", 651), ("sw", 652), ("tr", 653),
    ];

    private static readonly string[] EmotionTags = ["[laughter]", "[giggle]", "[sigh]", "[cough]", "[whisper]"];

    private sealed record Vocabulary(SortedDictionary<int, string> ById, HashSet<int> AddedIds);

    private static Vocabulary BuildVocabulary()
    {
        var byId = new SortedDictionary<int, string>();
        var added = new HashSet<int>();
        var used = new HashSet<string>(StringComparer.Ordinal);

        void Put(int id, string token, bool isAdded)
        {
            if (!used.Add(token) || !byId.TryAdd(id, token))
            {
                throw new InvalidOperationException($"synthetic vocabulary clash at {id} '{token}'");
            }

            if (isAdded)
            {
                added.Add(id);
            }
        }

        Put(0, "[STOP]", true);
        Put(1, "[UNK]", true);
        Put(2, "[SPACE]", true);
        var punctuation = "!'(),-./:;?";
        for (var i = 0; i < punctuation.Length; i++)
        {
            Put(3 + i, punctuation[i].ToString(), false);
        }

        for (var c = 'a'; c <= 'z'; c++)
        {
            Put(14 + (c - 'a'), c.ToString(), false);
        }

        Put(255, "[START]", true);
        foreach (var (language, id) in LanguageTags)
        {
            Put(id, "[" + language + "]", true);
        }

        for (var c = 'a'; c <= 'z'; c++)
        {
            Put(733 + (c - 'a'), "[cj_" + c + "]", true);
        }

        Put(762, "\u0308", false);
        Put(764, "\u0301", false);

        // The real file holds the whole Hangul Jamo block contiguously: U+1100 + k at 1783 + k (every
        // Korean golden id fits this).
        for (var k = 0; k < 256; k++)
        {
            Put(1783 + k, char.ConvertFromUtf32(0x1100 + k), false);
        }

        // [cj_0]..[cj_9] ids are unconfirmed; placed just below [cj_.].
        for (var d = 0; d < 10; d++)
        {
            Put(2054 + d, "[cj_" + d.ToString(CultureInfo.InvariantCulture) + "]", true);
        }

        Put(2064, "[cj_.]", true);
        Put((int)ChatterboxConstants.StartOfSpeech, SpeechStartToken, true);
        Put((int)ChatterboxConstants.ExaggerationSlot, ExaggerationToken, true);

        var nextFree = 40;
        int TakeFree()
        {
            while (byId.ContainsKey(nextFree))
            {
                nextFree++;
            }

            if (nextFree >= TextVocabularySize)
            {
                throw new InvalidOperationException("synthetic vocabulary is full");
            }

            return nextFree;
        }

        foreach (var (left, right, id) in Merges)
        {
            Put(id >= 0 ? id : TakeFree(), left + right, false);
        }

        foreach (var tag in EmotionTags)
        {
            Put(TakeFree(), tag, true);
        }

        foreach (var grapheme in Graphemes())
        {
            if (!used.Contains(grapheme))
            {
                Put(TakeFree(), grapheme, false);
            }
        }

        for (var id = 0; id < TextVocabularySize; id++)
        {
            if (!byId.ContainsKey(id))
            {
                // Unreachable: BPE starts from single characters and no merge produces these.
                Put(id, "[unused_" + id.ToString(CultureInfo.InvariantCulture) + "]", false);
            }
        }

        return new Vocabulary(byId, added);
    }

    /// <summary>Single-character tokens beyond a-z and the basic punctuation, in the order they take free ids.</summary>
    private static IEnumerable<string> Graphemes()
    {
        IEnumerable<int> Range(int first, int last) => Enumerable.Range(first, last - first + 1);

        var codePoints = new List<int>();
        codePoints.AddRange("0123456789\"#$%&*+<=>@[\\]^_`{|}~".Select(c => (int)c));
        // Latin-1 and general punctuation/symbols that survive NFKD.
        codePoints.AddRange("¡¿«»„‚‹›•·°€£¥§¶©®×÷¬±".Select(c => (int)c));
        // Latin letters that NFKD does not decompose.
        codePoints.AddRange("ßæøœłđðþıŋ".Select(c => (int)c));
        // Combining marks produced by NFKD of accented Latin, Greek and Cyrillic letters.
        codePoints.AddRange([0x0300, 0x0302, 0x0303, 0x0304, 0x0306, 0x0307, 0x0309, 0x030A, 0x030B, 0x030C, 0x031B, 0x0323, 0x0326, 0x0327, 0x0328, 0x0331]);
        // Greek lower-case (incl. final sigma).
        codePoints.AddRange(Range(0x03B1, 0x03C9));
        // Cyrillic lower-case and extensions (Ukrainian, Serbian, ...), plus ґ.
        codePoints.AddRange(Range(0x0430, 0x045F));
        codePoints.Add(0x0491);
        // Arabic: comma, semicolon, question mark, letters, tatweel, harakat and hamza/madda marks
        // (NFKD of آ أ إ ؤ ئ), Arabic-Indic digits and signs, superscript alef, alef wasla, Persian letters.
        codePoints.AddRange([0x060C, 0x061B, 0x061F]);
        codePoints.AddRange(Range(0x0621, 0x063A));
        codePoints.AddRange(Range(0x0640, 0x065F));
        codePoints.AddRange(Range(0x0660, 0x066D));
        codePoints.AddRange([0x0670, 0x0671, 0x067E, 0x0686, 0x0698, 0x06A9, 0x06AF, 0x06CC]);
        // Hebrew points, letters, ligature letters, geresh/gershayim.
        codePoints.AddRange(Range(0x05B0, 0x05C7));
        codePoints.AddRange(Range(0x05D0, 0x05EA));
        codePoints.AddRange(Range(0x05F0, 0x05F4));
        // Devanagari (Hindi), including danda and digits.
        codePoints.AddRange(Range(0x0900, 0x097F));
        // Japanese punctuation, hiragana, voicing marks, katakana.
        codePoints.AddRange([0x3001, 0x3002, 0x300C, 0x300D, 0x300E, 0x300F, 0x301C]);
        codePoints.AddRange(Range(0x3041, 0x3096));
        codePoints.AddRange(Range(0x3099, 0x309E));
        codePoints.AddRange(Range(0x30A1, 0x30FE));
        return codePoints.Select(char.ConvertFromUtf32);
    }

    private static byte[] WriteTokenizerJson(Vocabulary vocabulary)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteNull("truncation");
            json.WriteNull("padding");

            json.WriteStartArray("added_tokens");
            foreach (var id in vocabulary.AddedIds.Order())
            {
                json.WriteStartObject();
                json.WriteNumber("id", id);
                json.WriteString("content", vocabulary.ById[id]);
                json.WriteBoolean("single_word", false);
                json.WriteBoolean("lstrip", false);
                json.WriteBoolean("rstrip", false);
                json.WriteBoolean("normalized", false);
                json.WriteBoolean("special", true);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteNull("normalizer");
            json.WriteStartObject("pre_tokenizer");
            json.WriteString("type", "Whitespace");
            json.WriteEndObject();

            WritePostProcessor(json);
            json.WriteNull("decoder");

            json.WriteStartObject("model");
            json.WriteString("type", "BPE");
            json.WriteNull("dropout");
            json.WriteString("unk_token", "[UNK]");
            json.WriteNull("continuing_subword_prefix");
            json.WriteNull("end_of_word_suffix");
            json.WriteBoolean("fuse_unk", false);
            json.WriteBoolean("byte_fallback", false);
            json.WriteBoolean("ignore_merges", false);
            json.WriteStartObject("vocab");
            foreach (var (id, token) in vocabulary.ById)
            {
                json.WriteNumber(token, id);
            }

            json.WriteEndObject();
            json.WriteStartArray("merges");
            foreach (var (left, right, _) in Merges)
            {
                json.WriteStringValue(left + " " + right);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>single = [6563, [START], $A, [STOP], 6561, 6561]; pair adds $B before the speech tokens.</summary>
    private static void WritePostProcessor(Utf8JsonWriter json)
    {
        static void Special(Utf8JsonWriter json, string name)
        {
            json.WriteStartObject();
            json.WriteStartObject("SpecialToken");
            json.WriteString("id", name);
            json.WriteNumber("type_id", 0);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        static void Sequence(Utf8JsonWriter json, string name, int typeId)
        {
            json.WriteStartObject();
            json.WriteStartObject("Sequence");
            json.WriteString("id", name);
            json.WriteNumber("type_id", typeId);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteStartObject("post_processor");
        json.WriteString("type", "TemplateProcessing");
        foreach (var form in new[] { "single", "pair" })
        {
            json.WriteStartArray(form);
            Special(json, ExaggerationToken);
            Special(json, "[START]");
            Sequence(json, "A", 0);
            Special(json, "[STOP]");
            if (form == "pair")
            {
                Sequence(json, "B", 1);
            }

            Special(json, SpeechStartToken);
            Special(json, SpeechStartToken);
            json.WriteEndArray();
        }

        json.WriteStartObject("special_tokens");
        foreach (var (name, id) in new[]
                 {
                     (ExaggerationToken, ChatterboxConstants.ExaggerationSlot),
                     ("[START]", ChatterboxConstants.TextStart),
                     ("[STOP]", ChatterboxConstants.TextStop),
                     (SpeechStartToken, ChatterboxConstants.StartOfSpeech),
                 })
        {
            json.WriteStartObject(name);
            json.WriteString("id", name);
            json.WriteStartArray("ids");
            json.WriteNumberValue(id);
            json.WriteEndArray();
            json.WriteStartArray("tokens");
            json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static byte[] WriteTokenizerConfig()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("tokenizer_class", "PreTrainedTokenizerFast");
            json.WriteString("unk_token", "[UNK]");
            json.WriteString("bos_token", "[START]");
            json.WriteString("eos_token", "[STOP]");
            json.WriteNumber("model_max_length", 2048);
            json.WriteBoolean("clean_up_tokenization_spaces", false);
            json.WriteString("comment", "Synthetic Sawt test bundle; not the real Chatterbox tokenizer.");
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Golden characters 我 (hqi), 饿 (nvhqi), 了 (nn) plus a few common ones; 日 and 曰 share code "a",
    /// so 曰 has index 1 and encodes as [cj_a][cj_1][cj_.].
    /// </summary>
    private static byte[] WriteCangjie()
    {
        string[] entries =
        [
            "我\thqi", "饿\tnvhqi", "了\tnn", "日\ta", "曰\ta", "你\tonf", "好\tvnd", "中\tl", "人\to", "大\tk", "口\tr", "十\tj",
        ];
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartArray();
            foreach (var entry in entries)
            {
                json.WriteStringValue(entry);
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }
}
