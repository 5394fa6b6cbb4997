using Microsoft.Extensions.Logging.Abstractions;
using Sawt.Inference.Streaming;
using Sawt.Inference.Text;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Tests.Text;

/// <summary>
/// Every place text enters the engine refuses each class of invalid text with <c>invalid_text</c> at the right
/// offset (never an ArgumentException from NFKD or a later stage), and takes ordinary text in all 23 languages.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TextEntryPointValidationTests(TinyBundleFixture bundle)
{
    // Ordinary text leads every bad sample, so offsets are checked against the whole input, not a piece of it.
    private const string Lead = "Fine words first. ";

    private static readonly string[] EntryPointNames =
    [
        "tokenizer", "preparer", "segmenter", "buffer whole", "buffer unit by unit", "buffer flushed", "engine synthesize", "engine stream", "context",
    ];

    /// <summary>Ordinary text per language, with a few characters right next to the invalid ranges (U+FDF2, U+FFFD) and astral ones.</summary>
    private static readonly Dictionary<string, string> Sentences = new(StringComparer.Ordinal)
    {
        ["ar"] = "مرحبا، كيف حالك اليوم؟ ﷲ ﷺ",
        ["da"] = "Hej, hvordan har du det i dag? Æbler og østers på ålen.",
        ["de"] = "Guten Tag, wie geht es Ihnen heute? Größe, Übermaß.",
        ["el"] = "Γεια σας, πώς είστε σήμερα;",
        ["en"] = "Hello, how are you today? \U0001F600 It costs $3.50.",
        ["es"] = "Hola, ¿cómo estás hoy? ¡Qué bien!",
        ["fi"] = "Hei, mitä kuuluu tänään? Hyvää päivää.",
        ["fr"] = "Bonjour, comment ça va aujourd'hui ? « Très bien. »",
        ["he"] = "שלום, מה שלומך היום?",
        ["hi"] = "नमस्ते, आज आप कैसे हैं? मेरा नाम राम है।",
        ["it"] = "Ciao, come stai oggi? Perché no.",
        ["ja"] = "こんにちは、今日はお元気ですか？カタカナも。",
        ["ko"] = "안녕하세요, 오늘 어떻게 지내세요?",
        ["ms"] = "Helo, apa khabar hari ini?",
        ["nl"] = "Hallo, hoe gaat het vandaag? Één ijsje.",
        ["no"] = "Hei, hvordan har du det i dag? Blåbær og rømme.",
        ["pl"] = "Cześć, jak się dzisiaj masz? Żółć gęślą jaźń.",
        ["pt"] = "Olá, como você está hoje? Ação e coração.",
        ["ru"] = "Привет, как у тебя дела сегодня? Ёлка.",
        ["sv"] = "Hej, hur mår du idag? Åsa äter öl.",
        ["sw"] = "Habari, unaendeleaje leo? Asante sana.",
        ["tr"] = "Merhaba, bugün nasılsın? İstanbul'da ığdır, \uFFFD.",
        ["zh"] = "你好，你今天怎么样？\U00020000\U0002A6DF。",
    };

    public static TheoryData<string, string, int, string> InvalidAtEachEntryPoint
    {
        get
        {
            var data = new TheoryData<string, string, int, string>();
            foreach (var entryPoint in EntryPointNames)
            {
                foreach (var (text, index, codePoint) in InvalidSamples)
                {
                    data.Add(entryPoint, Lead + text, Lead.Length + index, codePoint);
                }
            }

            return data;
        }
    }

    public static TheoryData<string, string> SentencesAtEachEntryPoint
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var entryPoint in EntryPointNames)
            {
                foreach (var language in SupportedLanguages.All)
                {
                    data.Add(entryPoint, language);
                }
            }

            return data;
        }
    }

    /// <summary>One sample per class: NUL, lone high (mid and last), lone low, reversed pair, BMP and astral non-characters.</summary>
    private static (string Text, int Index, string CodePoint)[] InvalidSamples =>
    [
        ("ab\0cd", 2, "U+0000"),
        ("ab\uD800cd", 2, "U+D800"),
        ("abcd\uD83D", 4, "U+D83D"),
        ("ab\uDC00cd", 2, "U+DC00"),
        ("ab\uDE00\uD83Dcd", 2, "U+DE00"),
        ("ab\uFDD0cd", 2, "U+FDD0"),
        ("ab\uFDEFcd", 2, "U+FDEF"),
        ("ab\uFFFEcd", 2, "U+FFFE"),
        ("ab\uFFFFcd", 2, "U+FFFF"),
        ("ab\U0001FFFEcd", 2, "U+1FFFE"),
        ("ab\U0010FFFFcd", 2, "U+10FFFF"),
    ];

    [Theory]
    [MemberData(nameof(InvalidAtEachEntryPoint))]
    public async Task EntryPoint_InvalidText_InvalidTextAtItsOffset(string entryPoint, string text, int index, string codePoint)
    {
        var error = await Assert.ThrowsAsync<InferenceException>(() => Enter(entryPoint, text, "en"));

        Assert.Equal(InferenceErrorCode.InvalidText, error.Code);
        Assert.Contains($"{codePoint} ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"at UTF-16 offset {index};", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Fine words", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SentencesAtEachEntryPoint))]
    public async Task EntryPoint_OrdinaryTextInEveryLanguage_IsAccepted(string entryPoint, string language)
    {
        var text = Sentences[language];

        Assert.Equal(-1, TextValidation.IndexOfInvalid(text));
        await Enter(entryPoint, text, language);
    }

    [Fact]
    public async Task SynthesizeBatchAsync_OneInvalidText_WholeBatchRefusedWithInvalidText()
    {
        var error = await Assert.ThrowsAsync<InferenceException>(() =>
            bundle.Engine.SynthesizeBatchAsync([new SynthesisRequest("Fine.", "en"), new SynthesisRequest("Bad \uFFFF.", "en")], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(InferenceErrorCode.InvalidText, error.Code);
        Assert.Contains("U+FFFF at UTF-16 offset 4;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Buffer_SurrogatePairSplitAcrossPieces_IsAccepted()
    {
        var buffer = new IncrementalTextBuffer("en");

        buffer.Append("Smile \uD83D");
        buffer.Append("\uDE00 please.");
        buffer.Complete();

        Assert.Equal(["Smile \U0001F600 please."], buffer.TakeReady().Select(s => s.Text));
    }

    [Fact]
    public void Buffer_NonCharacterSplitAcrossPieces_RefusedAtItsHighHalf()
    {
        var buffer = new IncrementalTextBuffer("en");
        buffer.Append("ab\uD83F");

        var error = Assert.Throws<InferenceException>(() => buffer.Append("\uDFFEcd"));

        Assert.Equal(InferenceErrorCode.InvalidText, error.Code);
        Assert.Contains("U+1FFFE at UTF-16 offset 2;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Buffer_RefusedPiece_IsNotAppendedAndTheBufferGoesOn()
    {
        var buffer = new IncrementalTextBuffer("en");
        buffer.Append("One. ");

        Assert.Throws<InferenceException>(() => buffer.Append("bad\uFFFE"));
        buffer.Append("Two.");
        buffer.Complete();

        Assert.Equal(9, buffer.TotalLength);
        Assert.Equal(["One.", "Two."], buffer.TakeReady().Select(s => s.Text));
    }

    [Fact]
    public void Buffer_CompleteWithDanglingHighSurrogate_RefusedAndNotCompleted()
    {
        var buffer = new IncrementalTextBuffer("en");
        buffer.Append("Hi \uD83D");

        var error = Assert.Throws<InferenceException>(buffer.Complete);

        Assert.Equal(InferenceErrorCode.InvalidText, error.Code);
        Assert.Contains("U+D83D (the text is not valid UTF-16) at UTF-16 offset 3;", error.Message, StringComparison.Ordinal);
        Assert.False(buffer.IsCompleted);
        buffer.Append("\uDE00");
        buffer.Complete();
        Assert.Equal(["Hi \U0001F600"], buffer.TakeReady().Select(s => s.Text));
    }

    /// <summary>Feeds <paramref name="text"/> through one entry point; it either throws or accepts it.</summary>
    private async Task Enter(string entryPoint, string text, string language)
    {
        var engine = bundle.Engine;
        var ct = TestContext.Current.CancellationToken;
        switch (entryPoint)
        {
            case "tokenizer":
                engine.Tokenizer.Encode(text, language);
                break;
            case "preparer":
                new MtlTextPreparer(null, NullLogger.Instance).Prepare(text, language);
                break;
            case "segmenter":
                new TextSegmenter().Segment(text, language);
                break;
            case "buffer whole":
                Buffered(language, [text], flush: false);
                break;
            case "buffer unit by unit":
                Buffered(language, text.Select(c => c.ToString()), flush: false);
                break;
            case "buffer flushed":
                Buffered(language, text.Chunk(3).Select(piece => new string(piece)), flush: true);
                break;
            case "engine synthesize":
                // Validation happens before any request is submitted; Prepare is that step.
                await Task.Run(() => engine.Prepare(new SynthesisRequest(text, language)), ct);
                break;
            case "engine stream":
                // Segmentation (and with it validation) happens when the stream is created, before anything runs.
                engine.StreamAsync(new StreamingRequest(text, language), ct);
                break;
            case "context":
                await using (var context = engine.CreateContext(language))
                {
                    foreach (var piece in text.Chunk(5))
                    {
                        context.AppendText(new string(piece));
                    }

                    context.Complete();
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(entryPoint), entryPoint, "Unknown entry point.");
        }
    }

    private static void Buffered(string language, IEnumerable<string> pieces, bool flush)
    {
        var buffer = new IncrementalTextBuffer(language);
        foreach (var piece in pieces)
        {
            buffer.Append(piece);
            if (flush)
            {
                buffer.Flush();
            }

            buffer.TakeReady();
        }

        buffer.Complete();
    }
}
