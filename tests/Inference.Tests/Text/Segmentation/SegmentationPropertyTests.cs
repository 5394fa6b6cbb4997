using System.Text;
using Sawt.Inference.Text;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Tests.Text.Segmentation;

/// <summary>Seeded random mixed-language text: coverage of every segmentation and streaming equivalence.</summary>
[Trait("Category", "Unit")]
public sealed class SegmentationPropertyTests
{
    private const int TextsPerCase = 40;

    private static readonly string[] Words =
    [
        "hello", "world", "Mr.", "Dr.", "e.g.", "etc.", "U.S.", "z.B.", "M.", "Mme.", "3.14", "1,000,000", "٣٫١٤", "١٬٠٠٠",
        "12:30", "v2.0", "3", "42", "كيف", "حالك", "السلام", "عليكم", "你好", "天气很好", "北京", "こんにちは", "カタカナ",
        "मेरा", "नाम", "हूँ", "Τι", "κάνεις", "שלום", "привет", "안녕하세요", "\U0001F600", "\U0001F44D\U0001F3FD", "e\u0301", "ﷺ",
        "\U00020000\U00020001", "abcdefghijklmnopqrstuvwxyz", "我们今天去公园散步然后回家吃饭",
    ];

    private static readonly string[] Punctuation =
    [
        ".", "...", "…", "!", "?", "?!", "؟", "۔", "।", "॥", "。", "！", "？", ";", "\u037E", ",", "،", "؛", "、", "，", "；",
        "：", ":", "—", "–", " - ", "-", "\"", "'", "“", "”", "„", "«", "»", "(", ")", "「", "」", "\u0387",
    ];

    private static readonly string[] Spaces = [" ", " ", " ", "  ", "\n", "\n\n", "\r\n", "\u00A0", "\t", "\u3000", "\u202F"];

    public static TheoryData<string> Languages => [.. SupportedLanguages.All];

    private static IEnumerable<SegmentationOptions> OptionSets =>
    [
        SegmentationOptions.Default,
        SegmentationOptions.Streaming,
        new() { MaxSegmentChars = 12, MinClauseChars = 3 },
        new() { MaxSegmentChars = 7, MinClauseChars = 2, EagerClauses = true },
    ];

    [Theory]
    [MemberData(nameof(Languages))]
    public void Segment_RandomMixedText_CoversAllTextInOrderWithinLimits(string language)
    {
        var random = new Random(HashSeed(language));
        foreach (var options in OptionSets)
        {
            var segmenter = new TextSegmenter(options);
            for (var n = 0; n < TextsPerCase; n++)
            {
                var text = RandomText(random);
                AssertCovers(text, segmenter.Segment(text, language), options.MaxSegmentChars);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Append_RandomPieceBoundaries_SameSegmentsAsWholeText(string language)
    {
        var random = new Random(HashSeed(language) + 1);
        foreach (var options in OptionSets)
        {
            var segmenter = new TextSegmenter(options);
            for (var n = 0; n < TextsPerCase; n++)
            {
                var text = RandomText(random);
                var expected = segmenter.Segment(text, language);

                var buffer = new IncrementalTextBuffer(language, options);
                var actual = new List<SpeechSegment>();
                for (var at = 0; at < text.Length;)
                {
                    // Pieces of 0..8 UTF-16 units: they split words, numbers, ellipses and surrogate pairs.
                    var length = Math.Min(random.Next(0, 9), text.Length - at);
                    buffer.Append(text.Substring(at, length));
                    at += length;
                    if (random.Next(3) == 0)
                    {
                        actual.AddRange(buffer.TakeReady());
                    }
                }

                buffer.Complete();
                actual.AddRange(buffer.TakeReady());

                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void Append_ReadySegments_NeverEndInsideSurrogatePair()
    {
        var random = new Random(7);
        var options = new SegmentationOptions { MaxSegmentChars = 5, MinClauseChars = 1 };
        for (var n = 0; n < 200; n++)
        {
            var text = string.Concat(Enumerable.Range(0, 12).Select(_ => random.Next(3) == 0 ? "a" : "\U0001F600"));
            var buffer = new IncrementalTextBuffer("zh", options);
            var emitted = new List<SpeechSegment>();
            foreach (var c in text)
            {
                buffer.Append(c.ToString());
                emitted.AddRange(buffer.TakeReady());
            }

            buffer.Complete();
            emitted.AddRange(buffer.TakeReady());

            Assert.All(emitted, s => Assert.False(char.IsHighSurrogate(s.Text[^1]) || char.IsLowSurrogate(s.Text[0]), s.Text));
            Assert.Equal(text, string.Concat(emitted.Select(s => s.Text)));
        }
    }

    private static void AssertCovers(string text, IReadOnlyList<SpeechSegment> segments, int maxChars)
    {
        var covered = 0;
        foreach (var segment in segments)
        {
            Assert.True(segment.Start >= covered, $"Overlap at {segment.Start} in {Show(text)}");
            Assert.True(string.IsNullOrWhiteSpace(text[covered..segment.Start]), $"Lost text before {segment.Start} in {Show(text)}");
            Assert.InRange(segment.Length, 1, maxChars);
            Assert.Equal(text.Substring(segment.Start, segment.Length), segment.Text);
            Assert.False(char.IsWhiteSpace(segment.Text[0]) || char.IsWhiteSpace(segment.Text[^1]), Show(segment.Text));
            Assert.False(char.IsLowSurrogate(segment.Text[0]), $"Split surrogate pair at {segment.Start} in {Show(text)}");
            covered = segment.End;
        }

        Assert.True(string.IsNullOrWhiteSpace(text[covered..]), $"Lost tail in {Show(text)}");
        var nonSpace = text.Count(c => !char.IsWhiteSpace(c));
        Assert.Equal(nonSpace, segments.Sum(s => s.Text.Count(c => !char.IsWhiteSpace(c))));
    }

    private static string RandomText(Random random)
    {
        var builder = new StringBuilder();
        var tokens = random.Next(0, 60);
        for (var i = 0; i < tokens; i++)
        {
            var roll = random.Next(10);
            builder.Append(roll switch
            {
                < 5 => Words[random.Next(Words.Length)],
                < 8 => Punctuation[random.Next(Punctuation.Length)],
                _ => string.Empty,
            });
            if (random.Next(3) != 0)
            {
                builder.Append(Spaces[random.Next(Spaces.Length)]);
            }
        }

        return builder.ToString();
    }

    private static int HashSeed(string language) => language[0] * 31 + language[1];

    private static string Show(string text) =>
        string.Concat(text.Select(c => c < 0x20 || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
