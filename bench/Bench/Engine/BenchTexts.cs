namespace Sawt.Bench.Engine;

/// <summary>
/// Fixed inputs. The typical sentences (60-100 characters) are for first-token and whole-utterance timings; the
/// paragraphs are long enough that the synthetic STOP head (which fires once speech outgrows the text about 3 to 1)
/// does not end a sequence inside the timed decode window. The two-sentence replies are what a voice bot says in one
/// turn; the streaming bench speaks them sentence by sentence.
/// </summary>
internal static class BenchTexts
{
    public static IReadOnlyList<(string Language, string Text)> Typical { get; } =
    [
        ("en", "The morning train to the coast leaves at seven, so please be at the station early."),
        ("ar", "يغادر قطار الصباح إلى الساحل في السابعة، لذلك يرجى الحضور إلى المحطة مبكرا."),
    ];

    public static IReadOnlyList<(string Language, string Text)> Long { get; } =
    [
        ("en", "When the storm finally passed, the villagers walked down to the harbour to count the boats, mend the nets and " +
            "share what little bread was left, and by evening the square was full of music, lanterns and children running between the stalls."),
        ("ar", "عندما هدأت العاصفة أخيرا، نزل أهل القرية إلى الميناء ليتفقدوا القوارب ويصلحوا الشباك ويتقاسموا ما تبقى من الخبز، " +
            "وفي المساء امتلأت الساحة بالموسيقى والفوانيس والأطفال الذين يركضون بين الأكشاك."),
    ];

    public static IReadOnlyList<(string Language, string Text)> TwoSentences { get; } =
    [
        ("en", "Your table is booked for seven. We will send a reminder soon."),
        ("ar", "تم حجز طاولتك للساعة السابعة مساء. سنرسل لك تذكيرا قبل ساعة."),
    ];
}
