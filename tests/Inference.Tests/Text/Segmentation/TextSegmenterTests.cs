using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Tests.Text.Segmentation;

[Trait("Category", "Unit")]
public sealed class TextSegmenterTests
{
    private static readonly TextSegmenter Segmenter = new();

    private static string[] Texts(string text, string language, SegmentationOptions? options = null) =>
        [.. new TextSegmenter(options).Segment(text, language).Select(s => s.Text)];

    [Fact]
    public void Segment_ArabicParagraph_SplitsAtQuestionMarkAndFullStop()
    {
        const string text = "كيف حالك؟ أنا بخير، والحمد لله. سعر الكتاب ٣٫١٤ دينار؛ وعدد النسخ ١٬٠٠٠ نسخة.";

        Assert.Equal(
            ["كيف حالك؟", "أنا بخير، والحمد لله.", "سعر الكتاب ٣٫١٤ دينار؛ وعدد النسخ ١٬٠٠٠ نسخة."],
            Texts(text, "ar"));
    }

    [Fact]
    public void Segment_ArabicQuestionMarkWithoutSpace_StillEndsSentence()
    {
        Assert.Equal(["هل أنت هنا؟", "نعم۔", "شكرا"], Texts("هل أنت هنا؟نعم۔شكرا", "ar"));
    }

    [Fact]
    public void Segment_LongArabicSentence_SplitsAtArabicCommaAndSemicolon()
    {
        const string text = "ذهبنا إلى السوق في الصباح الباكر، واشترينا الخبز والحليب والفاكهة؛ ثم عدنا إلى البيت قبل الظهر.";
        var options = new SegmentationOptions { MaxSegmentChars = 40, MinClauseChars = 10 };

        var segments = new TextSegmenter(options).Segment(text, "ar");

        Assert.Equal(["ذهبنا إلى السوق في الصباح الباكر،", "واشترينا الخبز والحليب والفاكهة؛", "ثم عدنا إلى البيت قبل الظهر."], segments.Select(s => s.Text));
        Assert.Equal([SegmentBoundary.Clause, SegmentBoundary.Clause, SegmentBoundary.Sentence], segments.Select(s => s.Boundary));
    }

    [Fact]
    public void Segment_EnglishAbbreviationsAndDecimals_NotSplit()
    {
        const string text = "Mr. Smith met Dr. Jones at 3.14 p.m. in the U.S. on Monday. Pi is 3.14159, e.g. roughly 22/7, i.e. close. Version v2.0 costs $1,000,000 vs. $5. Bye!";

        Assert.Equal(
            [
                "Mr. Smith met Dr. Jones at 3.14 p.m. in the U.S. on Monday.",
                "Pi is 3.14159, e.g. roughly 22/7, i.e. close.",
                "Version v2.0 costs $1,000,000 vs. $5.",
                "Bye!",
            ],
            Texts(text, "en"));
    }

    [Fact]
    public void Segment_EllipsisAndClosingQuote_EllipsisIsOneEnderAndQuoteStays()
    {
        Assert.Equal(
            ["Wait...", "He said \"Hi.\"", "Then (he left.)", "Really?!", "Yes…", "ok"],
            Texts("Wait... He said \"Hi.\" Then (he left.) Really?! Yes… ok", "en"));
    }

    [Fact]
    public void Segment_GermanAndFrenchAbbreviations_NotSplit()
    {
        Assert.Equal(["Wir essen z.B. Brot usw. und Dr. Meier kommt.", "Gut."], Texts("Wir essen z.B. Brot usw. und Dr. Meier kommt. Gut.", "de"));
        Assert.Equal(["M. Dupont et Mme. Martin arrivent.", "« Bonjour. »", "Puis ils partent."], Texts("M. Dupont et Mme. Martin arrivent. « Bonjour. » Puis ils partent.", "fr"));
    }

    [Fact]
    public void Segment_GermanQuotes_ClosingQuoteStaysWithSentence()
    {
        Assert.Equal(["Er sagte: „Hallo.“", "Dann ging er."], Texts("Er sagte: „Hallo.“ Dann ging er.", "de"));
    }

    [Fact]
    public void Segment_ChineseFullWidthEnders_SplitWithoutSpaces()
    {
        var segments = Segmenter.Segment("你好。今天天气很好！你去哪里？我去北京，然后去上海。", "zh");

        Assert.Equal(["你好。", "今天天气很好！", "你去哪里？", "我去北京，然后去上海。"], segments.Select(s => s.Text));
        Assert.Equal([0, 3, 10, 15], segments.Select(s => s.Start));
    }

    [Fact]
    public void Segment_JapaneseClosingBracket_StaysWithSentence()
    {
        Assert.Equal(["「こんにちは。」", "と彼は言った。", "元気?", "はい!"], Texts("「こんにちは。」と彼は言った。元気?はい!", "ja"));
    }

    [Fact]
    public void Segment_HindiDanda_EndsSentence()
    {
        Assert.Equal(["मेरा नाम राम है।", "मैं दिल्ली में रहता हूँ॥", "धन्यवाद।"], Texts("मेरा नाम राम है। मैं दिल्ली में रहता हूँ॥ धन्यवाद।", "hi"));
    }

    [Fact]
    public void Segment_GreekQuestionMarks_EndSentence()
    {
        Assert.Equal(["Τι κάνεις;", "Καλά είμαι\u037E", "Ναι."], Texts("Τι κάνεις; Καλά είμαι\u037E Ναι.", "el"));
    }

    [Fact]
    public void Segment_SemicolonOutsideGreek_IsNotSentenceEnd()
    {
        Assert.Equal(["One; two."], Texts("One; two.", "en"));
    }

    [Fact]
    public void Segment_BlankLine_EndsParagraphButSingleLineBreakDoesNot()
    {
        var segments = Segmenter.Segment("Title\n\nFirst line\nsecond line", "en");

        Assert.Equal(["Title", "First line\nsecond line"], segments.Select(s => s.Text));
        Assert.Equal([SegmentBoundary.Sentence, SegmentBoundary.EndOfText], segments.Select(s => s.Boundary));
    }

    [Fact]
    public void Segment_LongSentence_SplitsAtClausesThenWords()
    {
        var options = new SegmentationOptions { MaxSegmentChars = 30, MinClauseChars = 5 };
        const string text = "The quick brown fox, jumping high, went over the extraordinarily lazy sleeping dog today.";

        var segments = new TextSegmenter(options).Segment(text, "en");

        Assert.Equal(
            ["The quick brown fox,", "jumping high,", "went over the extraordinarily", "lazy sleeping dog today."],
            segments.Select(s => s.Text));
        Assert.Equal(
            [SegmentBoundary.Clause, SegmentBoundary.Clause, SegmentBoundary.Forced, SegmentBoundary.Sentence],
            segments.Select(s => s.Boundary));
    }

    [Fact]
    public void Segment_ClauseShorterThanMinimum_FallsBackToLastSpace()
    {
        var options = new SegmentationOptions { MaxSegmentChars = 20, MinClauseChars = 10 };

        var segments = new TextSegmenter(options).Segment("Yes, this is quite a long sentence.", "en");

        Assert.Equal(["Yes, this is quite a", "long sentence."], segments.Select(s => s.Text));
        Assert.Equal([SegmentBoundary.Forced, SegmentBoundary.Sentence], segments.Select(s => s.Boundary));
    }

    [Fact]
    public void Segment_LongChineseRunWithoutPunctuation_ForcedSplitAtLimit()
    {
        var text = string.Concat(Enumerable.Repeat("我们今天去公园散步", 5));
        var options = new SegmentationOptions { MaxSegmentChars = 20, MinClauseChars = 5 };

        var segments = new TextSegmenter(options).Segment(text, "zh");

        Assert.Equal([20, 20, 5], segments.Select(s => s.Length));
        Assert.Equal([SegmentBoundary.Forced, SegmentBoundary.Forced, SegmentBoundary.EndOfText], segments.Select(s => s.Boundary));
        Assert.Equal(text, string.Concat(segments.Select(s => s.Text)));
    }

    [Theory]
    [InlineData("abcdefg1234567", "abcdefg", "1234567")]
    [InlineData("abcdefgh3.14159", "abcdefgh", "3.14159")]
    [InlineData("价格是1,000,000元", "价格是", "1,000,000元")]
    [InlineData("القيمة٣٫١٤١٥٩٢٦", "القيمة", "٣٫١٤١٥٩٢٦")]
    [InlineData("时间是12:30:45好", "时间是", "12:30:45好")]
    public void Segment_ForcedCutInsideNumber_MovesBeforeNumber(string text, string first, string second)
    {
        var options = new SegmentationOptions { MaxSegmentChars = 10, MinClauseChars = 5 };

        Assert.Equal([first, second], Texts(text, "zh", options));
    }

    [Fact]
    public void Segment_NumbersWithInnerPunctuation_NeverSplitAtIt()
    {
        var options = new SegmentationOptions { MaxSegmentChars = 12, MinClauseChars = 1, EagerClauses = true };

        var texts = Texts("At 12:30 pay 1,000,000 or 3.14 now, v2.0 ok.", "en", options);

        Assert.Contains(texts, t => t.Contains("12:30", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("1,000,000", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("3.14", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("v2.0", StringComparison.Ordinal));
    }

    [Fact]
    public void Segment_ForcedCut_NeverSplitsSurrogatePairOrCombiningMark()
    {
        var options = new SegmentationOptions { MaxSegmentChars = 5, MinClauseChars = 1 };

        Assert.Equal(["ab\U0001F600", "\U0001F600"], Texts("ab\U0001F600\U0001F600", "zh", options));
        Assert.Equal(["abcd", "e\u0301fg"], Texts("abcde\u0301fg", "zh", options));
    }

    [Fact]
    public void Segment_EagerClauses_SplitsAtClauseOnceLongEnough()
    {
        var options = new SegmentationOptions { MinClauseChars = 10, EagerClauses = true };

        var segments = new TextSegmenter(options).Segment("Hi, there. Well, as I was saying, we left.", "en");

        Assert.Equal(["Hi, there.", "Well, as I was saying,", "we left."], segments.Select(s => s.Text));
        Assert.Equal([SegmentBoundary.Sentence, SegmentBoundary.Clause, SegmentBoundary.Sentence], segments.Select(s => s.Boundary));
    }

    [Fact]
    public void Segment_Spans_PointIntoOriginalText()
    {
        const string text = "  Hello there.   How are you?  ";

        var segments = Segmenter.Segment(text, "en");

        Assert.Equal([new SpeechSegment("Hello there.", 2, 12, SegmentBoundary.Sentence), new SpeechSegment("How are you?", 17, 12, SegmentBoundary.Sentence)], segments);
        Assert.All(segments, s => Assert.Equal(s.Text, text.Substring(s.Start, s.Length)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t ")]
    public void Segment_EmptyOrWhitespace_NoSegments(string text)
    {
        Assert.Empty(Segmenter.Segment(text, "en"));
    }

    [Fact]
    public void Segment_UnsupportedLanguage_Throws()
    {
        var exception = Assert.Throws<InferenceException>(() => Segmenter.Segment("Hello.", "xx"));

        Assert.Equal(InferenceErrorCode.UnsupportedLanguage, exception.Code);
    }

    [Theory]
    [InlineData(3, 1, 10_000)]
    [InlineData(300, 0, 10_000)]
    [InlineData(300, 301, 10_000)]
    [InlineData(300, 20, 299)]
    public void Constructor_OptionsOutOfRange_ThrowsInvalidOptions(int maxSegment, int minClause, int maxBuffered)
    {
        var options = new SegmentationOptions { MaxSegmentChars = maxSegment, MinClauseChars = minClause, MaxBufferedChars = maxBuffered };

        var exception = Assert.Throws<InferenceException>(() => new TextSegmenter(options));

        Assert.Equal(InferenceErrorCode.InvalidOptions, exception.Code);
    }
}
