using System.Collections.Frozen;

namespace Sawt.Inference.Text.Segmentation;

/// <summary>
/// The language-dependent part of segmentation. Most rules are shared so mixed-language text segments
/// sensibly; per language are only the abbreviations, Greek ";" as a question mark, CJK text that puts no
/// space after ASCII punctuation, and French closing guillemets written after a space (<c>« Oui. »</c>).
/// </summary>
internal sealed class SegmentationRules
{
    private static readonly FrozenDictionary<string, SegmentationRules> ByLanguage =
        SupportedLanguages.All.ToFrozenDictionary(code => code, Create, StringComparer.Ordinal);

    private readonly FrozenSet<string> _abbreviations;
    private readonly FrozenSet<string> _initials;

    private SegmentationRules(string language, IEnumerable<string> abbreviations)
    {
        Language = language;
        QuestionSemicolon = language == "el";
        CjkWithoutSpaces = language is "zh" or "ja";
        SpacedGuillemets = language == "fr";

        // Single letters ("M." in French) match case-sensitively so "10 m." stays an ender; words ignore case.
        var list = abbreviations.ToList();
        _initials = list.Where(a => a.Length == 1).ToFrozenSet(StringComparer.Ordinal);
        _abbreviations = list.Where(a => a.Length > 1).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    public string Language { get; }

    /// <summary>Greek writes the question mark as ";" (U+003B); it ends a sentence instead of a clause.</summary>
    public bool QuestionSemicolon { get; }

    /// <summary>Chinese and Japanese often put no space after ASCII ". ! ? ," : CJK right after them also counts as a break.</summary>
    public bool CjkWithoutSpaces { get; }

    /// <summary>French sets closing guillemets after a space: "« Oui. » Puis" keeps "»" with the sentence.</summary>
    public bool SpacedGuillemets { get; }

    /// <exception cref="InferenceException"><see cref="InferenceErrorCode.UnsupportedLanguage"/>.</exception>
    public static SegmentationRules For(string language) => ByLanguage[SupportedLanguages.Normalize(language)];

    public bool IsEnder(char c) =>
        SegmentationChars.IsWeakEnder(c) || SegmentationChars.IsStrongEnder(c) || (QuestionSemicolon && c == ';');

    public bool IsClauseSeparator(char c) =>
        SegmentationChars.IsStrongSeparator(c) || c is '\u2013' or '-'
        || (SegmentationChars.IsWeakSeparator(c) && !(QuestionSemicolon && c == ';'))
        || (QuestionSemicolon && c == '\u0387');

    /// <summary><paramref name="word"/> is the text before a single "." back to whitespace or an opening bracket, e.g. "Mr", "e.g", "U.S".</summary>
    public bool IsAbbreviation(string word) =>
        word.Length == 1 ? _initials.Contains(word) : _abbreviations.Contains(word);

    private static SegmentationRules Create(string language) => new(language, language switch
    {
        "en" => ["Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "vs", "etc", "e.g", "i.e", "cf", "approx", "U.S", "U.K", "U.N", "a.m", "p.m", "Inc", "Ltd", "Co", "Corp", "Gen", "Gov", "Sen", "Rep", "Capt", "Lt", "Col", "Sgt"],
        "de" => ["z.B", "usw", "Dr", "Prof", "bzw", "ca", "Nr", "d.h", "u.a", "vgl", "Hr", "Fr", "evtl", "ggf", "inkl", "z.T", "u.U", "s.o", "s.u", "Str"],
        "fr" => ["M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Pr", "Me", "etc", "cf", "p.ex", "env", "av", "bd"],
        "es" => ["Sr", "Sra", "Srta", "Dr", "Dra", "Ud", "Uds", "etc", "p.ej", "aprox", "Av", "Prof"],
        "it" => ["Sig", "Sig.ra", "Sigg", "Dott", "Dott.ssa", "Prof", "ecc", "ca", "pag", "Ing", "Avv"],
        "pt" => ["Sr", "Sra", "Srta", "Dr", "Dra", "etc", "p.ex", "Prof", "Av"],
        "nl" => ["dhr", "mevr", "mr", "dr", "prof", "bijv", "d.w.z", "enz", "o.a", "ca"],
        "da" or "no" or "sv" => ["dr", "prof", "bl.a", "f.eks", "t.ex", "o.s.v", "osv", "ca", "nr", "mfl"],
        "ru" => ["т.е", "т.д", "т.п", "гг", "др", "пр", "ул", "см", "им"],
        "pl" => ["np", "dr", "prof", "itd", "itp", "tzw", "ul", "wg", "godz"],
        "tr" => ["Dr", "Prof", "vb", "vs", "Sn", "Av"],
        "fi" => ["esim", "ns", "mm", "tri", "prof", "yms", "jne", "ks"],
        "el" => ["κ", "κα", "π.χ", "δηλ", "κλπ", "κ.λπ", "Δρ"],
        "ms" => ["Dr", "Prof", "En", "Pn", "Tn", "dll", "spt"],
        _ => [],
    });
}
