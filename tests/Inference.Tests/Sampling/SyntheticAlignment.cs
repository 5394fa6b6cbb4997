using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

/// <summary>
/// Drives an <see cref="AlignmentStreamAnalyzer"/> with hand-built head-averaged attention in the ONNX layout:
/// 34 conditioning positions, S text ids at [34, 34 + S), then the BOS rows of the prefill.
/// </summary>
internal sealed class SyntheticAlignment
{
    private const int BosRows = 2;
    private long _nextToken = 100;

    public SyntheticAlignment(int textLength)
    {
        TextLength = textLength;
        Analyzer = new AlignmentStreamAnalyzer(TextStart, TextEnd);
    }

    public static int TextStart => AlignmentStreamAnalyzer.OnnxTextStart;

    public int TextLength { get; }

    public int TextEnd => TextStart + TextLength;

    public int PrefillLength => TextEnd + BosRows;

    public AlignmentStreamAnalyzer Analyzer { get; }

    /// <summary>
    /// The prefill call: each BOS row gets <paramref name="weights"/> over text indices. Rows before the BOS rows
    /// carry strong decoy attention on the first and last text ids, which the analyzer must ignore.
    /// </summary>
    public AlignmentDecision Prefill(params (int Text, float Weight)[] weights)
    {
        var length = PrefillLength;
        var attention = new float[length * length];
        for (var row = 0; row < TextEnd; row++)
        {
            attention[row * length + TextStart] = 0.95f;
            attention[row * length + TextEnd - 1] = 0.95f;
        }

        for (var row = TextEnd; row < length; row++)
        {
            foreach (var (text, weight) in weights)
            {
                attention[row * length + TextStart + text] = weight;
            }
        }

        return Analyzer.Step(attention, length, length, ChatterboxConstants.StartOfSpeech);
    }

    /// <summary>One decode call (a single query row) with a fresh token, so token repetition stays quiet.</summary>
    public AlignmentDecision Decode(params (int Text, float Weight)[] weights) => Decode(_nextToken++, weights);

    public AlignmentDecision Decode(long lastToken, params (int Text, float Weight)[] weights)
    {
        var keyLength = PrefillLength + Analyzer.StepIndex;
        var row = new float[keyLength];
        foreach (var (text, weight) in weights)
        {
            row[TextStart + text] = weight;
        }

        return Analyzer.Step(row, 1, keyLength, lastToken);
    }

    /// <summary>A decode row attending to one text id.</summary>
    public AlignmentDecision DecodeAt(int text, float weight = 0.9f) => Decode((text, weight));
}
