using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Tests.Text.Segmentation;

[Trait("Category", "Unit")]
public sealed class IncrementalTextBufferTests
{
    private static string[] Texts(IReadOnlyList<SpeechSegment> segments) => [.. segments.Select(s => s.Text)];

    [Fact]
    public void TakeReady_TrailingPeriod_NotReadyUntilNextCharacter()
    {
        var buffer = new IncrementalTextBuffer("en");

        buffer.Append("Hello.");
        Assert.Empty(buffer.TakeReady());

        buffer.Append(" ");
        Assert.Equal(["Hello."], Texts(buffer.TakeReady()));
    }

    [Fact]
    public void TakeReady_NumberSplitAcrossPieces_KeptWhole()
    {
        var buffer = new IncrementalTextBuffer("en");

        buffer.Append("It costs 3");
        buffer.Append(".");
        Assert.Empty(buffer.TakeReady());
        buffer.Append("5 dollars. Next");

        Assert.Equal(["It costs 3.5 dollars."], Texts(buffer.TakeReady()));
    }

    [Fact]
    public void TakeReady_AbbreviationAtPieceEnd_NotSplit()
    {
        var buffer = new IncrementalTextBuffer("en");

        buffer.Append("Hello Mr.");
        Assert.Empty(buffer.TakeReady());
        buffer.Append(" Smith. And");

        Assert.Equal(["Hello Mr. Smith."], Texts(buffer.TakeReady()));
    }

    [Fact]
    public void TakeReady_EllipsisSplitAcrossPieces_OneEnder()
    {
        var buffer = new IncrementalTextBuffer("en");

        buffer.Append("Wait.");
        buffer.Append(".");
        Assert.Empty(buffer.TakeReady());
        buffer.Append(". what");

        Assert.Equal(["Wait..."], Texts(buffer.TakeReady()));
    }

    [Fact]
    public void TakeReady_ChineseFullStop_ReadyOnceNextCharacterArrives()
    {
        var buffer = new IncrementalTextBuffer("zh");

        buffer.Append("你好。");
        Assert.Empty(buffer.TakeReady());
        buffer.Append("我");

        var ready = buffer.TakeReady();
        Assert.Equal([new SpeechSegment("你好。", 0, 3, SegmentBoundary.Sentence)], ready);
    }

    [Fact]
    public void TakeReady_ClauseAfterMinimumLength_EmittedEarly()
    {
        var buffer = new IncrementalTextBuffer("en");

        buffer.Append("Well, as I was saying to my friend yesterday, the weather");

        var ready = buffer.TakeReady();
        Assert.Equal([new SpeechSegment("Well, as I was saying to my friend yesterday,", 0, 45, SegmentBoundary.Clause)], ready);
    }

    [Fact]
    public void TakeReady_ArabicClauseAfterMinimumLength_EmittedEarly()
    {
        var buffer = new IncrementalTextBuffer("ar", SegmentationOptions.Streaming with { MinClauseChars = 10 });

        buffer.Append("ذهبنا إلى السوق في الصباح، واشترينا");

        Assert.Equal(["ذهبنا إلى السوق في الصباح،"], Texts(buffer.TakeReady()));
    }

    [Fact]
    public void TakeReady_NonEagerOptions_ClauseWaitsForSentenceEnd()
    {
        var buffer = new IncrementalTextBuffer("en", SegmentationOptions.Default);

        buffer.Append("Well, as I was saying to my friend yesterday, the weather");

        Assert.Empty(buffer.TakeReady());
    }

    [Fact]
    public void TakeReady_PendingLongerThanLimit_SplitWithoutEnder()
    {
        var buffer = new IncrementalTextBuffer("en", new SegmentationOptions { MaxSegmentChars = 20, MinClauseChars = 5 });

        buffer.Append("one two three four five six seven");

        Assert.Equal([new SpeechSegment("one two three four", 0, 18, SegmentBoundary.Forced)], buffer.TakeReady());
    }

    [Fact]
    public void Flush_PartialSentence_EmittedAsForcedAndLaterTextStartsNewSegment()
    {
        var buffer = new IncrementalTextBuffer("en");

        buffer.Append("Hello there");
        Assert.Empty(buffer.TakeReady());
        buffer.Flush();
        Assert.Equal([new SpeechSegment("Hello there", 0, 11, SegmentBoundary.Forced)], buffer.TakeReady());

        buffer.Append(" again.");
        buffer.Complete();
        Assert.Equal([new SpeechSegment("again.", 12, 6, SegmentBoundary.Sentence)], buffer.TakeReady());
    }

    [Fact]
    public void Flush_TrailingHighSurrogate_KeptBackUntilLowHalfArrives()
    {
        var buffer = new IncrementalTextBuffer("en");

        buffer.Append("Hi \uD83D");
        buffer.Flush();
        Assert.Equal(["Hi"], Texts(buffer.TakeReady()));
        Assert.Equal(1, buffer.PendingLength);

        buffer.Append("\uDE00 there");
        buffer.Complete();
        Assert.Equal([new SpeechSegment("\U0001F600 there", 3, 8, SegmentBoundary.EndOfText)], buffer.TakeReady());
    }

    [Fact]
    public void Append_SurrogatePairSplitAtForcedCut_NeverEmitsHalfPair()
    {
        var buffer = new IncrementalTextBuffer("zh", new SegmentationOptions { MaxSegmentChars = 5, MinClauseChars = 1 });

        buffer.Append("ab\uD83D\uDE00\uD83D");
        buffer.Append("\uDE00cd");
        buffer.Complete();

        Assert.Equal(["ab\U0001F600", "\U0001F600cd"], Texts(buffer.TakeReady()));
    }

    [Fact]
    public void Complete_RestOfText_EmittedWithEndOfText()
    {
        var buffer = new IncrementalTextBuffer("en");

        buffer.Append("One. Two");
        Assert.Equal(["One."], Texts(buffer.TakeReady()));
        buffer.Complete();

        Assert.True(buffer.IsCompleted);
        Assert.Equal([new SpeechSegment("Two", 5, 3, SegmentBoundary.EndOfText)], buffer.TakeReady());
        Assert.Empty(buffer.TakeReady());
    }

    [Fact]
    public void Complete_CalledTwiceAndThenFlush_NoMoreSegments()
    {
        var buffer = new IncrementalTextBuffer("en");
        buffer.Append("Done.");

        buffer.Complete();
        buffer.Complete();
        buffer.Flush();

        Assert.Equal(["Done."], Texts(buffer.TakeReady()));
    }

    [Fact]
    public void Append_AfterComplete_Throws()
    {
        var buffer = new IncrementalTextBuffer("en");
        buffer.Complete();

        Assert.Throws<InvalidOperationException>(() => buffer.Append("more"));
    }

    [Fact]
    public void Append_Spans_AreOffsetsIntoConcatenatedInput()
    {
        var buffer = new IncrementalTextBuffer("en");

        buffer.Append("  Hi. ");
        buffer.Append("Bye.");
        buffer.Complete();

        Assert.Equal(
            [new SpeechSegment("Hi.", 2, 3, SegmentBoundary.Sentence), new SpeechSegment("Bye.", 6, 4, SegmentBoundary.Sentence)],
            buffer.TakeReady());
        Assert.Equal(10, buffer.TotalLength);
    }

    [Fact]
    public void Append_TooMuchTextWithoutBoundary_ThrowsTextTooLong()
    {
        var buffer = new IncrementalTextBuffer("en", new SegmentationOptions { MaxBufferedChars = 500 });
        buffer.Append("He said \"Hello.");

        var exception = Assert.Throws<InferenceException>(() => buffer.Append(new string('"', 600)));

        Assert.Equal(InferenceErrorCode.TextTooLong, exception.Code);
        Assert.Equal("text_too_long", exception.WireCode);
    }

    [Fact]
    public void Append_ManySentencesWithinLimit_DoesNotThrow()
    {
        var buffer = new IncrementalTextBuffer("en", new SegmentationOptions { MaxBufferedChars = 500 });

        for (var i = 0; i < 200; i++)
        {
            buffer.Append("Sentence number " + i + ". ");
        }

        Assert.Equal(200, buffer.TakeReady().Count);
        Assert.Equal(0, buffer.PendingLength);
    }

    [Fact]
    public void Constructor_UnsupportedLanguage_Throws()
    {
        var exception = Assert.Throws<InferenceException>(() => new IncrementalTextBuffer("klingon"));

        Assert.Equal(InferenceErrorCode.UnsupportedLanguage, exception.Code);
    }
}
