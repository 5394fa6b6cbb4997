namespace Sawt.Inference.Sampling;

/// <summary>
/// Port of the v2-era multilingual reference <c>AlignmentStreamAnalyzer</c> (model-contract.md 6.3) as pure
/// logic: it tracks where the alignment heads attend in the text and decides, each step, whether the STOP logit
/// must be suppressed (text not yet spoken) or forced (long tail, alignment repetition, token repetition).
/// <para>
/// Per step, after the LM call and the CFG combine and before the repetition penalty, the caller averages the
/// alignment heads of the conditional row (<see cref="AverageHeads(ReadOnlySpan{float}, int, int, Span{float}, int, int)"/>),
/// passes them to <see cref="Step"/> with the token whose embedding was just fed (6561 at the prefill, then the
/// previously sampled token), and applies the result with <see cref="ApplyToLogits"/>.
/// </para>
/// <para>
/// Reference quirks kept on purpose: the first step's chunk is the prefill rows from the text end onward (the BOS
/// rows); columns beyond the 0-based step counter are zeroed (so the prefill keeps only column 0); "rows since
/// completion" excludes the rows of the completing step; suppression uses the newest row's argmax, not the tracked
/// position; the token window includes the leading 6561. One deviation: with S &lt;= 5 the alignment-repetition
/// rule never fires, where the reference raises (resemble-ai/chatterbox issue 548).
/// </para>
/// Memory is O(S): only the last two rows of the alignment matrix and running sums are kept. One instance per
/// sequence; not thread-safe.
/// </summary>
public sealed class AlignmentStreamAnalyzer
{
    /// <summary>Layer slots in <c>attn_layers</c> (model layers 9, 12, 13).</summary>
    public const int DefaultLayers = 3;

    /// <summary>Attention heads per layer in the T3 backbone.</summary>
    public const int DefaultHeads = 16;

    /// <summary>Position of [START] in the ONNX prefill: 33 conditioning slots plus the emotion slot.</summary>
    public const int OnnxTextStart = ChatterboxConstants.ConditioningSlots + 1;

    /// <summary>Logit written to suppress STOP, and to every other id when STOP is forced (-2^15).</summary>
    public const float SuppressedLogit = -32768f;

    /// <summary>Logit written to STOP when it is forced (2^15, safe in fp16).</summary>
    public const float ForcedLogit = 32768f;

    // The newest row's argmax counts as continuous when -4 < pos - text_position < 7 ("very lenient" upstream).
    private const int ContinuityLowerExclusive = -4;
    private const int ContinuityUpperExclusive = 7;

    // Complete once text_position >= S - 3: [STOP] rarely gets attention and the token before it is often punctuation.
    private const int CompletionMargin = 3;

    // STOP is only suppressed for texts longer than this.
    private const int SuppressMinimumTextLength = 5;

    // False start: any of A's last 2 rows x last 2 columns above 0.1, or nothing in the first 4 columns reaching 0.5.
    private const int CornerSize = 2;
    private const float CornerThreshold = 0.1f;
    private const int OnsetColumns = 4;
    private const float OnsetThreshold = 0.5f;

    // Long tail: some of the last 3 columns accumulates >= 5 attention over rows since completion (~200 ms).
    private const int TailColumns = 3;
    private const float LongTailThreshold = 5f;

    // Alignment repetition: rows since completion put > 5 total (row max) on text before the last 5 columns.
    private const int RepetitionTrailingColumns = 5;
    private const float RepetitionThreshold = 5f;

    // Token repetition: at least 3 tokens seen (6561 included) and the last 2 identical.
    private const int MinimumTokensSeen = 3;

    private static readonly AlignmentHead[] ReferenceHeadList = [new(1, 15), new(2, 11), new(0, 2)];

    private readonly float[] _tailSums;
    private float[] _newestRow;
    private float[] _previousRow;
    private float _onsetMax;
    private float _repetitionSum;
    private long _lastToken;
    private long _previousToken;

    /// <param name="textStart">Prefill position of [START] (i); <see cref="OnnxTextStart"/> with the ONNX layout.</param>
    /// <param name="textEnd">Prefill position just past [STOP] (j); the BOS rows start here.</param>
    public AlignmentStreamAnalyzer(int textStart, int textEnd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(textStart);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(textEnd, textStart);
        TextStart = textStart;
        TextEnd = textEnd;
        _newestRow = new float[TextLength];
        _previousRow = new float[TextLength];
        _tailSums = new float[Math.Min(TailColumns, TextLength)];
    }

    /// <summary>
    /// The reference alignment heads as (slot, head) pairs, in the reference order: model (12, 15), (13, 11), (9, 2).
    /// </summary>
    public static ReadOnlySpan<AlignmentHead> ReferenceHeads => ReferenceHeadList;

    /// <summary>Prefill position of [START] (i).</summary>
    public int TextStart { get; }

    /// <summary>Prefill position just past [STOP] (j).</summary>
    public int TextEnd { get; }

    /// <summary>S = j - i: text ids including [START] and [STOP].</summary>
    public int TextLength => TextEnd - TextStart;

    /// <summary>Steps analysed so far; the 0-based index of the next step (the reference's frame position).</summary>
    public int StepIndex { get; private set; }

    /// <summary>Rows of the alignment matrix so far (T): the BOS rows of the prefill plus one per later step.</summary>
    public int Frames { get; private set; }

    public int TextPosition { get; private set; }

    public bool Started { get; private set; }

    public bool Complete { get; private set; }

    /// <summary>Value of <see cref="Frames"/> at the step that completed the alignment; null before.</summary>
    public int? CompletedAt { get; private set; }

    /// <summary>Tokens passed to <see cref="Step"/> so far.</summary>
    public int TokensSeen { get; private set; }

    /// <summary>The newest alignment row after the column zeroing (S values; empty before the first step).</summary>
    public ReadOnlySpan<float> NewestRow => Frames == 0 ? [] : _newestRow;

    /// <summary>
    /// Analyses one step. <paramref name="attention"/> is the head-averaged attention of this LM call, row-major
    /// [<paramref name="queryLength"/>, <paramref name="keyLength"/>]; query row r sits at absolute position
    /// keyLength - queryLength + r. The first call must be the prefill (it uses the rows from <see cref="TextEnd"/>
    /// on); later calls use every row given (one with a KV cache).
    /// </summary>
    /// <param name="attention">Head-averaged attention, [queryLength, keyLength] row-major.</param>
    /// <param name="queryLength">Query rows in this LM call (the prefill length, then 1).</param>
    /// <param name="keyLength">Key columns: past plus this call's rows; at least <see cref="TextEnd"/>.</param>
    /// <param name="lastToken">The token whose embedding was just fed: 6561 at the prefill, then the previous sample.</param>
    public AlignmentDecision Step(ReadOnlySpan<float> attention, int queryLength, int keyLength, long lastToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keyLength, TextEnd);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(queryLength, keyLength);
        if (attention.Length != (long)queryLength * keyLength)
        {
            throw new ArgumentException(
                $"Expected {queryLength} x {keyLength} attention values; got {attention.Length}.", nameof(attention));
        }

        var firstRow = 0;
        if (StepIndex == 0)
        {
            // Absolute row j is the first BOS row; the prefill chunk is everything from there on.
            firstRow = TextEnd - (keyLength - queryLength);
            if (firstRow < 0 || firstRow >= queryLength)
            {
                throw new ArgumentException(
                    $"The first step must hold the prefill rows from position {TextEnd} onward.", nameof(attention));
            }
        }

        var completedBefore = CompletedAt is not null;
        for (var row = firstRow; row < queryLength; row++)
        {
            AppendRow(attention.Slice(row * keyLength + TextStart, TextLength), completedBefore);
        }

        var s = TextLength;
        var position = ArgMax(_newestRow);
        var delta = position - TextPosition;
        var discontinuity = !(delta > ContinuityLowerExclusive && delta < ContinuityUpperExclusive);
        if (!discontinuity)
        {
            TextPosition = position;
        }

        var falseStart = !Started && (CornerMax() > CornerThreshold || _onsetMax < OnsetThreshold);
        Started = !falseStart;

        Complete = Complete || TextPosition >= s - CompletionMargin;
        if (Complete && CompletedAt is null)
        {
            CompletedAt = Frames;
        }

        var longTail = Complete && Max(_tailSums) >= LongTailThreshold;
        var alignmentRepetition = Complete && s > RepetitionTrailingColumns && _repetitionSum > RepetitionThreshold;

        _previousToken = _lastToken;
        _lastToken = lastToken;
        TokensSeen++;
        var tokenRepetition = TokensSeen >= MinimumTokensSeen && _lastToken == _previousToken;

        var forced = longTail ? StopReason.LongTail
            : alignmentRepetition ? StopReason.AlignmentRepetition
            : tokenRepetition ? StopReason.TokenRepetition
            : StopReason.None;
        var suppress = position < s - CompletionMargin && s > SuppressMinimumTextLength;

        StepIndex++;
        return new AlignmentDecision(forced, suppress, position, TextPosition, discontinuity, Started, Complete);
    }

    /// <summary>
    /// Edits one row of last-position logits (at least 6563 wide) as the decision asks: suppressing sets STOP to
    /// -32768; forcing sets every logit to -32768 and STOP to +32768 (forcing wins over suppressing).
    /// </summary>
    public static void ApplyToLogits(Span<float> logits, AlignmentDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(logits.Length, (int)ChatterboxConstants.StopOfSpeech, nameof(logits));

        if (decision.SuppressStop)
        {
            logits[(int)ChatterboxConstants.StopOfSpeech] = SuppressedLogit;
        }

        if (decision.ForcesStop)
        {
            logits.Fill(SuppressedLogit);
            logits[(int)ChatterboxConstants.StopOfSpeech] = ForcedLogit;
        }
    }

    /// <summary>
    /// Averages the <see cref="ReferenceHeads"/> of an <c>attn_layers</c> tensor into
    /// <paramref name="destination"/> ([queryLength, keyLength], row-major).
    /// </summary>
    /// <param name="attnLayers">[layers, heads, queryLength, keyLength], row-major, conditional row only.</param>
    /// <param name="queryLength">Query rows of the LM call.</param>
    /// <param name="keyLength">Key columns (past plus query rows).</param>
    /// <param name="destination">Receives [queryLength, keyLength]; may be longer.</param>
    /// <param name="layers">Layer slots in the tensor.</param>
    /// <param name="heads">Heads per layer slot.</param>
    public static void AverageHeads(
        ReadOnlySpan<float> attnLayers,
        int queryLength,
        int keyLength,
        Span<float> destination,
        int layers = DefaultLayers,
        int heads = DefaultHeads) =>
        AverageHeads(attnLayers, queryLength, keyLength, destination, ReferenceHeads, layers, heads);

    /// <summary>
    /// Averages the given heads of an attention tensor into <paramref name="destination"/> ([queryLength,
    /// keyLength], row-major): sum in the given order, then divide by their count.
    /// </summary>
    /// <param name="attnLayers">[layers, heads, queryLength, keyLength], row-major.</param>
    /// <param name="queryLength">Query rows of the LM call.</param>
    /// <param name="keyLength">Key columns (past plus query rows).</param>
    /// <param name="destination">Receives [queryLength, keyLength]; may be longer.</param>
    /// <param name="selectedHeads">(layer slot, head) pairs to average; at least one.</param>
    /// <param name="layers">Layer slots in the tensor.</param>
    /// <param name="heads">Heads per layer slot.</param>
    public static void AverageHeads(
        ReadOnlySpan<float> attnLayers,
        int queryLength,
        int keyLength,
        Span<float> destination,
        ReadOnlySpan<AlignmentHead> selectedHeads,
        int layers = DefaultLayers,
        int heads = DefaultHeads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keyLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (selectedHeads.IsEmpty)
        {
            throw new ArgumentException("At least one head is required.", nameof(selectedHeads));
        }

        var plane = checked(queryLength * keyLength);
        if (attnLayers.Length != checked((long)layers * heads * plane))
        {
            throw new ArgumentException(
                $"Expected {layers} x {heads} x {queryLength} x {keyLength} values; got {attnLayers.Length}.",
                nameof(attnLayers));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, plane, nameof(destination));

        var output = destination[..plane];
        output.Clear();
        foreach (var head in selectedHeads)
        {
            if ((uint)head.LayerSlot >= (uint)layers || (uint)head.Head >= (uint)heads)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(selectedHeads), head, $"Heads must lie within {layers} layer slots x {heads} heads.");
            }

            var source = attnLayers.Slice((head.LayerSlot * heads + head.Head) * plane, plane);
            for (var k = 0; k < plane; k++)
            {
                output[k] += source[k];
            }
        }

        float count = selectedHeads.Length;
        for (var k = 0; k < plane; k++)
        {
            output[k] /= count;
        }
    }

    private void AppendRow(ReadOnlySpan<float> textColumns, bool completedBefore)
    {
        (_previousRow, _newestRow) = (_newestRow, _previousRow);
        textColumns.CopyTo(_newestRow);

        // Upstream quirk: columns past the 0-based step counter are zeroed, a crude monotonic mask.
        if (StepIndex + 1 < _newestRow.Length)
        {
            _newestRow.AsSpan(StepIndex + 1).Clear();
        }

        Frames++;
        _onsetMax = Math.Max(_onsetMax, Max(_newestRow.AsSpan(0, Math.Min(OnsetColumns, _newestRow.Length))));

        if (completedBefore)
        {
            var tailStart = _newestRow.Length - _tailSums.Length;
            for (var c = 0; c < _tailSums.Length; c++)
            {
                _tailSums[c] += _newestRow[tailStart + c];
            }

            if (_newestRow.Length > RepetitionTrailingColumns)
            {
                _repetitionSum += Max(_newestRow.AsSpan(0, _newestRow.Length - RepetitionTrailingColumns));
            }
        }
    }

    // Max of A's last two rows (one while A has one) over its last two columns.
    private float CornerMax()
    {
        var columns = Math.Min(CornerSize, TextLength);
        var start = TextLength - columns;
        var max = Max(_newestRow.AsSpan(start, columns));
        return Frames >= CornerSize ? Math.Max(max, Max(_previousRow.AsSpan(start, columns))) : max;
    }

    // First index of the maximum, as torch.argmax; NaN never wins.
    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best])
            {
                best = k;
            }
        }

        return best;
    }

    private static float Max(ReadOnlySpan<float> values)
    {
        var max = float.NegativeInfinity;
        foreach (var value in values)
        {
            max = Math.Max(max, value);
        }

        return max;
    }
}
