using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;

namespace Sawt.Inference.Generation;

/// <summary>
/// The KV caches of sequences that run together on one language model, kept as the graph's own output values:
/// the presents of one call are the pasts of the next, with no host copy, while the membership stays the same.
/// A sequence's rows are fixed physical rows of these tensors; when members leave, or others join, the next run
/// first gathers the survivors and newcomers into fresh tensors (<see cref="Assemble"/>), once.
/// </summary>
/// <remarks>
/// Every row carries its own column validity (<see cref="KvSlot.Valid"/>), which becomes the attention mask: left
/// padding of a ragged batch, and positions dropped by <see cref="RewindTo"/> (speculative decoding), are columns the
/// mask hides. The v1 graphs derive RoPE positions from the mask's running count, so hidden columns shift nothing;
/// a graph that takes <c>position_ids</c> (Turbo) gets the same count from here: a row's new position is the number of
/// its valid columns before it, never the padded length. A gather compacts every row to its valid columns. Not
/// thread-safe: one worker loop owns its batches.
/// </remarks>
internal sealed class KvBatch : IDisposable
{
    /// <summary>Hidden columns a batch tolerates (beyond this share of its length) before the next run compacts it.</summary>
    private const int CompactionShare = 4;

    /// <summary>Hidden columns a batch always tolerates: compacting a short cache for a few columns costs more than it saves.</summary>
    private const int CompactionSlack = 16;

    private readonly KvLayout _layout;
    private readonly List<T3Sequence> _members;
    private OrtValue[] _pasts;
    private float[] _embeds = [];
    private Float16[] _embeds16 = [];
    private float[] _widened = [];
    private long[] _mask = [];
    private long[] _positions = [];
    private bool _intact = true;
    private bool _disposed;

    private KvBatch(KvLayout layout, List<T3Sequence> members, OrtValue[] pasts, int pastLength)
    {
        _layout = layout;
        _members = members;
        _pasts = pasts;
        PastLength = pastLength;
        Rows = members.Sum(m => m.Rows);
    }

    /// <summary>Reads a run's logits before they are freed.</summary>
    public delegate void LogitsReader(ReadOnlySpan<float> logits);

    /// <summary>Reads a v2 run's <c>attn_layers</c> ([3, 16, queryLength, keyLength], conditional row) before it is freed.</summary>
    public delegate void AttentionReader(ReadOnlySpan<float> attention, int queryLength, int keyLength);

    /// <summary>Columns of the cache tensors (valid or hidden).</summary>
    public int PastLength { get; private set; }

    public int Rows { get; }

    /// <summary>Bytes the cache tensors hold.</summary>
    public long Bytes => _layout.TensorBytes(Rows, PastLength) * _pasts.Length;

    /// <summary>Bytes the caches of these sequences' batches hold (each batch once).</summary>
    public static long BytesOf(IEnumerable<T3Sequence> sequences) =>
        sequences.SelectMany(s => s.Slots).OfType<KvSlot>().Select(s => s.Batch).Distinct().Sum(b => b.Bytes);

    /// <summary>A batch of sequences with empty caches, for their prefill. Each sequence gets its slot here.</summary>
    public static KvBatch Empty(KvLayout layout, IReadOnlyList<T3Sequence> sequences)
    {
        var members = sequences.ToList();
        var rows = members.Sum(m => m.Rows);
        var pasts = new OrtValue[layout.Layers * 2];
        for (var i = 0; i < pasts.Length; i++)
        {
            pasts[i] = layout.EmptyTensor(rows);
        }

        var batch = new KvBatch(layout, members, pasts, 0);
        var row = 0;
        foreach (var member in members)
        {
            member.Slots[layout.SlotIndex] = new KvSlot(batch, row);
            row += member.Rows;
        }

        return batch;
    }

    /// <summary>
    /// The batch to run <paramref name="sequences"/> (in this order): their current batch when it holds exactly them,
    /// intact and compact enough; otherwise a new batch their valid columns are gathered into, once, right-aligned.
    /// The batches they leave keep their other members and are disposed when none remain.
    /// </summary>
    public static KvBatch Assemble(KvLayout layout, IReadOnlyList<T3Sequence> sequences)
    {
        var current = SlotOf(layout, sequences[0]).Batch;
        if (current.Holds(sequences) && !current.NeedsCompaction())
        {
            return current;
        }

        var valid = sequences.Select(s => SlotOf(layout, s).ValidCount).ToArray();
        var pastLength = valid.Max();
        var rows = sequences.Sum(s => s.Rows);
        var pasts = new OrtValue[layout.Layers * 2];
        try
        {
            for (var t = 0; t < pasts.Length; t++)
            {
                pasts[t] = layout.AllocateTensor(rows, pastLength);
                var target = pasts[t].GetTensorMutableRawData();
                target.Clear(); // padding must be zeros: masked attention still multiplies it by 0, and garbage may be NaN
                var row = 0;
                foreach (var sequence in sequences)
                {
                    var slot = SlotOf(layout, sequence);
                    var source = slot.Batch._pasts[t].GetTensorMutableRawData();
                    for (var r = 0; r < sequence.Rows; r++)
                    {
                        layout.CopyValidColumns(source, slot.Row + r, slot.Batch.PastLength, slot.Valid, target, row + r, pastLength);
                    }

                    row += sequence.Rows;
                }
            }
        }
        catch
        {
            foreach (var value in pasts)
            {
                value?.Dispose();
            }

            throw;
        }

        layout.Ledger.Acquired(pasts.Length);
        var batch = new KvBatch(layout, [.. sequences], pasts, pastLength);
        var at = 0;
        for (var i = 0; i < sequences.Count; i++)
        {
            var old = SlotOf(layout, sequences[i]);
            var slot = new KvSlot(batch, at);
            slot.Valid.AddRange(Enumerable.Repeat((byte)0, pastLength - valid[i]));
            slot.Valid.AddRange(Enumerable.Repeat((byte)1, valid[i]));
            sequences[i].Slots[layout.SlotIndex] = slot;
            old.Batch.Leave(sequences[i]);
            at += sequences[i].Rows;
        }

        return batch;
    }

    /// <summary>
    /// Drops a sequence's caches (target and draft): its rows stay in the tensors until the next gather; the last
    /// member out frees them.
    /// </summary>
    public static void Release(T3Sequence sequence)
    {
        for (var i = 0; i < sequence.Slots.Length; i++)
        {
            if (sequence.Slots[i] is { } slot)
            {
                sequence.Slots[i] = null;
                slot.Batch.Leave(sequence);
            }
        }
    }

    /// <summary>
    /// Runs the language model over <paramref name="length"/> new positions per row. <paramref name="embeds"/> fills
    /// the [Rows, length, hidden] input; <paramref name="newValid"/> says, per member, which of its new positions are
    /// real (a hidden one is input padding). The presents replace the pasts; <paramref name="readLogits"/> reads the
    /// logits [Rows, length, width] before they are freed.
    /// </summary>
    /// <param name="session">The language model.</param>
    /// <param name="length">New positions per row.</param>
    /// <param name="embeds">Fills the [Rows, length, hidden] input (as f32; converted when the graph takes f16).</param>
    /// <param name="newValid">Whether member m's new position c is real.</param>
    /// <param name="readLogits">Reads the logits (as f32) before they are freed.</param>
    /// <param name="cancellationToken">Terminates the run.</param>
    /// <param name="cfgWeight">The v2 graph's <c>cfg_weight</c>; ignored by graphs without one.</param>
    /// <param name="readAttention">Reads the v2 graph's <c>attn_layers</c>; required by graphs that return it.</param>
    public void Run(InferenceSession session, int length, Action<Span<float>> embeds, Func<int, int, bool> newValid, LogitsReader readLogits, CancellationToken cancellationToken, float cfgWeight = 0f, AttentionReader? readAttention = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_intact)
        {
            throw new InvalidOperationException("A member left this batch; assemble a new one before running it.");
        }

        var hidden = _layout.HiddenSize;
        var embedsLength = Rows * length * hidden;
        if (_embeds.Length < embedsLength)
        {
            _embeds = new float[embedsLength];
        }

        var total = PastLength + length;
        if (_mask.Length < Rows * total)
        {
            _mask = new long[Math.Max(Rows * total, _mask.Length * 2)];
        }

        embeds(_embeds.AsSpan(0, embedsLength));
        var row = 0;
        for (var m = 0; m < _members.Count; m++)
        {
            var valid = _members[m].Slots[_layout.SlotIndex]!.Valid;
            for (var r = 0; r < _members[m].Rows; r++, row++)
            {
                var mask = _mask.AsSpan(row * total, total);
                for (var c = 0; c < PastLength; c++)
                {
                    mask[c] = valid[c];
                }

                for (var c = 0; c < length; c++)
                {
                    mask[PastLength + c] = newValid(m, c) ? 1 : 0;
                }
            }
        }

        var inputs = new OrtValue[_layout.InputNames.Length];
        using var embedsValue = EmbedsValue(embedsLength, [Rows, length, hidden]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _mask.AsMemory(0, Rows * total), [Rows, total]);
        using var cfgValue = _layout.GuidanceInGraph ? OrtValue.CreateTensorValueFromMemory(new[] { (Float16)cfgWeight }, []) : null;
        using var positionsValue = _layout.HasPositionIds ? PositionIds(length, total) : null;
        inputs[0] = embedsValue;
        inputs[1] = maskValue;
        _pasts.CopyTo(inputs, 2);
        var extra = 2 + _pasts.Length;
        if (cfgValue is not null)
        {
            inputs[extra++] = cfgValue;
        }

        if (positionsValue is not null)
        {
            inputs[extra] = positionsValue;
        }

        var outputs = OrtCall.RunDetached(session, _layout.InputNames, inputs, _layout.OutputNames, "language_model", _layout.Ledger, cancellationToken);

        DisposePasts();
        _pasts = outputs[_layout.PresentOffset..];
        PastLength = total;
        for (var m = 0; m < _members.Count; m++)
        {
            var valid = _members[m].Slots[_layout.SlotIndex]!.Valid;
            for (var c = 0; c < length; c++)
            {
                valid.Add(newValid(m, c) ? (byte)1 : (byte)0);
            }
        }

        try
        {
            if (_layout.ActivationElementType == TensorElementType.Float16)
            {
                readLogits(Widen(outputs[0].GetTensorDataAsSpan<Float16>()));
            }
            else
            {
                readLogits(outputs[0].GetTensorDataAsSpan<float>());
            }

            if (_layout.GuidanceInGraph)
            {
                var read = readAttention ?? throw new InvalidOperationException("The graph returns attn_layers; the caller must read them.");
                read(outputs[1].GetTensorDataAsSpan<float>(), length, total);
            }
        }
        finally
        {
            for (var i = 0; i < _layout.PresentOffset; i++)
            {
                outputs[i].Dispose();
            }

            _layout.Ledger.Released(_layout.PresentOffset);
        }
    }

    /// <summary>The embeddings input over the reused buffer: as is for an f32 graph, converted once for an f16 one.</summary>
    private OrtValue EmbedsValue(int embedsLength, long[] shape)
    {
        if (_layout.ActivationElementType != TensorElementType.Float16)
        {
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _embeds.AsMemory(0, embedsLength), shape);
        }

        if (_embeds16.Length < embedsLength)
        {
            _embeds16 = new Float16[_embeds.Length];
        }

        for (var i = 0; i < embedsLength; i++)
        {
            _embeds16[i] = (Float16)_embeds[i];
        }

        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _embeds16.AsMemory(0, embedsLength), shape);
    }

    /// <summary>f16 logits as f32 in a reused buffer (f16 to f32 is exact).</summary>
    private ReadOnlySpan<float> Widen(ReadOnlySpan<Float16> values)
    {
        if (_widened.Length < values.Length)
        {
            _widened = new float[values.Length];
        }

        for (var i = 0; i < values.Length; i++)
        {
            _widened[i] = (float)values[i];
        }

        return _widened.AsSpan(0, values.Length);
    }

    /// <summary>
    /// Writes the positions of one row's new columns: a valid column's position is the count of the row's valid
    /// columns before it (prefill 0..n-1, then one past the last), a hidden one gets 0 (the mask hides it anyway).
    /// Left padding, rewound columns and gathers therefore never shift a row's positions.
    /// </summary>
    /// <param name="mask">The row's mask over past and new columns.</param>
    /// <param name="pastLength">Columns of the past in <paramref name="mask"/>.</param>
    /// <param name="positions">One entry per new column.</param>
    internal static void FillPositions(ReadOnlySpan<long> mask, int pastLength, Span<long> positions)
    {
        long next = 0;
        for (var c = 0; c < pastLength; c++)
        {
            next += mask[c];
        }

        for (var c = 0; c < positions.Length; c++)
        {
            positions[c] = mask[pastLength + c] == 1 ? next++ : 0;
        }
    }

    /// <summary>
    /// Hides a member's newest columns so that <paramref name="validCount"/> valid ones remain (speculative decoding
    /// keeps only what was accepted). The tensors are not touched; a later gather drops the hidden columns.
    /// </summary>
    public static void RewindTo(KvLayout layout, T3Sequence sequence, int validCount)
    {
        var slot = SlotOf(layout, sequence);
        ArgumentOutOfRangeException.ThrowIfNegative(validCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(validCount, slot.ValidCount);
        var excess = slot.ValidCount - validCount;
        for (var c = slot.Valid.Count - 1; excess > 0; c--)
        {
            if (slot.Valid[c] == 1)
            {
                slot.Valid[c] = 0;
                excess--;
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposePasts();
        foreach (var member in _members)
        {
            if (member.Slots[_layout.SlotIndex]?.Batch == this)
            {
                member.Slots[_layout.SlotIndex] = null;
            }
        }

        _members.Clear();
    }

    /// <summary>Positions the sequence's cache on this layout's model holds.</summary>
    public static int ValidCountOf(KvLayout layout, T3Sequence sequence) => SlotOf(layout, sequence).ValidCount;

    private static KvSlot SlotOf(KvLayout layout, T3Sequence sequence) =>
        sequence.Slots[layout.SlotIndex] ?? throw new InvalidOperationException("The sequence has no KV cache: it was never prefilled, or it was released.");

    private bool Holds(IReadOnlyList<T3Sequence> sequences) =>
        _intact && !_disposed && _members.Count == sequences.Count && _members.SequenceEqual(sequences);

    private bool NeedsCompaction()
    {
        var longest = _members.Max(m => m.Slots[_layout.SlotIndex]!.ValidCount);
        return PastLength - longest > Math.Max(CompactionSlack, PastLength / CompactionShare);
    }

    private void Leave(T3Sequence sequence)
    {
        if (_members.Remove(sequence))
        {
            _intact = false;
            if (_members.Count == 0)
            {
                Dispose();
            }
        }
    }

    /// <summary>[Rows, length] <c>position_ids</c> from the mask just built. Caller disposes.</summary>
    private OrtValue PositionIds(int length, int total)
    {
        if (_positions.Length < Rows * length)
        {
            _positions = new long[Math.Max(Rows * length, _positions.Length * 2)];
        }

        for (var row = 0; row < Rows; row++)
        {
            FillPositions(_mask.AsSpan(row * total, total), PastLength, _positions.AsSpan(row * length, length));
        }

        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _positions.AsMemory(0, Rows * length), [Rows, length]);
    }

    private void DisposePasts()
    {
        foreach (var value in _pasts)
        {
            value.Dispose();
        }

        _layout.Ledger.Released(_pasts.Length);
        _pasts = [];
    }
}
