namespace Sawt.Inference.Audio.Formats;

/// <summary>
/// Stateful twin of <see cref="AudioResampler"/> for audio that arrives in chunks of any length. The outputs of
/// <see cref="Process"/> over any chunking, followed by <see cref="Flush"/>, equal
/// <see cref="AudioResampler.Resample"/> of the concatenated input sample for sample (same kernel, same arithmetic),
/// so chunk seams cannot click; the total is exactly round(n x toRate / fromRate).
/// </summary>
/// <remarks>
/// Latency: an output sample is emitted once all its taps have arrived, i.e. about 32 samples of the lower rate
/// (1.3 ms at 24 kHz, 4 ms at 8 kHz) after its instant; <see cref="Flush"/> emits the rest, taking the signal as
/// zero after the end. After <see cref="Flush"/> the instance starts over as if new. Not thread-safe.
/// </remarks>
public sealed class StreamingResampler
{
    private readonly int _fromRate;
    private readonly int _toRate;
    private readonly ResamplingKernel? _kernel;

    // Input samples still needed: _buffer[0.._count) holds input samples _bufferStart .. _bufferStart + _count.
    private float[] _buffer = [];
    private int _count;
    private long _bufferStart;

    // Input samples received and output samples emitted since the start (or the last Flush).
    private long _received;
    private long _emitted;

    public StreamingResampler(int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        _fromRate = fromRate;
        _toRate = toRate;
        _kernel = fromRate == toRate ? null : new ResamplingKernel(fromRate, toRate);
    }

    public int FromRate => _fromRate;

    public int ToRate => _toRate;

    /// <summary>Takes the next chunk and returns every output sample whose taps have all arrived (possibly none).</summary>
    public float[] Process(ReadOnlySpan<float> input)
    {
        if (_kernel is null)
        {
            return input.ToArray();
        }

        Append(input);
        _received += input.Length;

        // Output n is ready when its last tap floor(n x down / up) + half has arrived: n < (received - half) x up / down.
        var readyInputs = _received - _kernel.Half;
        var ready = readyInputs <= 0 ? 0 : CeilDiv(readyInputs * _kernel.Up, _kernel.Down);
        return Emit(ready);
    }

    /// <summary>Emits the remaining output (the signal is zero after the end) and starts over.</summary>
    public float[] Flush()
    {
        if (_kernel is null)
        {
            return [];
        }

        // round(received x to / from), halves up, as AudioResampler.GetOutputLength.
        var total = ((2 * _received * _toRate) + _fromRate) / (2L * _fromRate);
        var output = Emit(total);
        _count = 0;
        _bufferStart = 0;
        _received = 0;
        _emitted = 0;
        return output;
    }

    private float[] Emit(long upTo)
    {
        var kernel = _kernel!;
        if (upTo <= _emitted)
        {
            return [];
        }

        var output = new float[upTo - _emitted];
        var held = _buffer.AsSpan(0, _count);
        for (var k = 0; k < output.Length; k++)
        {
            output[k] = kernel.Compute(held, _bufferStart, _emitted + k);
        }

        _emitted = upTo;

        // Drop input that no later output reads.
        var keepFrom = Math.Max(_bufferStart, kernel.FirstTap(_emitted));
        var drop = (int)Math.Min(_count, keepFrom - _bufferStart);
        if (drop > 0)
        {
            _buffer.AsSpan(drop, _count - drop).CopyTo(_buffer);
            _count -= drop;
            _bufferStart += drop;
        }

        return output;
    }

    private void Append(ReadOnlySpan<float> input)
    {
        if (_count + input.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_count + input.Length, _buffer.Length * 2));
        }

        input.CopyTo(_buffer.AsSpan(_count));
        _count += input.Length;
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
