namespace Sawt.Inference.Generation;

/// <summary>
/// One sequence's KV cache on the host: per layer, keys and values laid out [rows, heads, capacity,
/// headDim] so appending a step writes one contiguous run per (row, head). Rolling back k steps
/// (speculative decoding) is lowering <see cref="Length"/>: the caches are plain concat-grown tensors.
/// </summary>
/// <typeparam name="T">Element type of the graph's cache (float, or Float16 for fp16 graphs).</typeparam>
internal sealed class KvCache<T>
    where T : unmanaged
{
    private readonly int _rows;
    private readonly int _heads;
    private readonly int _headDim;
    private readonly T[][] _keys;
    private readonly T[][] _values;
    private int _capacity;

    public KvCache(int layers, int rows, int heads, int headDim, int initialCapacity)
    {
        _rows = rows;
        _heads = heads;
        _headDim = headDim;
        _capacity = Math.Max(1, initialCapacity);
        _keys = new T[layers][];
        _values = new T[layers][];
        for (var l = 0; l < layers; l++)
        {
            _keys[l] = new T[rows * heads * _capacity * headDim];
            _values[l] = new T[rows * heads * _capacity * headDim];
        }
    }

    public int Length { get; private set; }

    public int Rows => _rows;

    /// <summary>Bytes held, for admission budgets.</summary>
    public long CapacityBytes => 2L * _keys.Length * _rows * _heads * _capacity * _headDim * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    /// <summary>
    /// Writes this cache right-aligned into a batch tensor [batchRows, heads, batchPast, headDim]
    /// starting at <paramref name="batchRow"/>; the first batchPast - Length positions stay as they are (padding).
    /// </summary>
    public void CopyInto(Span<T> batch, int layer, bool value, int batchRow, int batchPast)
    {
        var source = value ? _values[layer] : _keys[layer];
        var run = Length * _headDim;
        for (var r = 0; r < _rows; r++)
        {
            for (var h = 0; h < _heads; h++)
            {
                var from = ((r * _heads) + h) * _capacity * _headDim;
                var to = ((((batchRow + r) * _heads) + h) * batchPast + (batchPast - Length)) * _headDim;
                source.AsSpan(from, run).CopyTo(batch.Slice(to, run));
            }
        }
    }

    /// <summary>
    /// Appends the last <paramref name="count"/> positions of a present tensor [batchRows, heads,
    /// presentLength, headDim] for this cache's rows, which start at <paramref name="batchRow"/>.
    /// </summary>
    public void AppendFrom(ReadOnlySpan<T> present, int layer, bool value, int batchRow, int presentLength, int count)
    {
        EnsureCapacity(Length + count);
        var target = value ? _values[layer] : _keys[layer];
        var run = count * _headDim;
        for (var r = 0; r < _rows; r++)
        {
            for (var h = 0; h < _heads; h++)
            {
                var from = ((((batchRow + r) * _heads) + h) * presentLength + (presentLength - count)) * _headDim;
                var to = ((((r * _heads) + h) * _capacity) + Length) * _headDim;
                present.Slice(from, run).CopyTo(target.AsSpan(to, run));
            }
        }
    }

    /// <summary>Marks <paramref name="count"/> appended positions as part of the cache (after every layer was appended).</summary>
    public void Commit(int count) => Length += count;

    /// <summary>Drops the newest positions so that <paramref name="length"/> remain.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        Length = length;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _capacity)
        {
            return;
        }

        var capacity = Math.Max(needed, _capacity * 2);
        for (var l = 0; l < _keys.Length; l++)
        {
            _keys[l] = Grow(_keys[l], capacity);
            _values[l] = Grow(_values[l], capacity);
        }

        _capacity = capacity;
    }

    private T[] Grow(T[] old, int capacity)
    {
        var grown = new T[_rows * _heads * capacity * _headDim];
        var run = Length * _headDim;
        for (var block = 0; block < _rows * _heads; block++)
        {
            old.AsSpan(block * _capacity * _headDim, run).CopyTo(grown.AsSpan(block * capacity * _headDim, run));
        }

        return grown;
    }
}
