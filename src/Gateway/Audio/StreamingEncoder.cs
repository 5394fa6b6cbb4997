namespace Sawt.Gateway.Audio;

/// <summary>
/// Feeds one response's PCM to an encoder process as it arrives and hands the encoded bytes to a sink as the encoder
/// writes them (a pump reads its stdout concurrently, so neither pipe fills and blocks the other). One per response;
/// <see cref="WriteAsync"/> and <see cref="CompleteAsync"/> are called by one caller in turn; the sink is called by
/// the pump only, one call at a time, and must consume the bytes before it returns (the buffer is reused).
/// </summary>
/// <remarks>
/// Disposing without <see cref="CompleteAsync"/> (cancellation, a client gone, a failed session) kills the process,
/// then reaps it; disposing always releases the slot the encoder held.
/// </remarks>
internal sealed class StreamingEncoder : IAsyncDisposable
{
    private const int ReadBufferBytes = 16 * 1024;

    /// <summary>How long disposal waits for a killed process to be reaped.</summary>
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(5);

    private readonly IEncoderProcess _process;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _sink;
    private readonly IDisposable? _slot;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private bool _completed;

    private StreamingEncoder(IEncoderProcess process, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink, IDisposable? slot)
    {
        _process = process;
        _sink = sink;
        _slot = slot;
        _pump = PumpAsync();
    }

    /// <summary>PCM bytes written to the encoder so far.</summary>
    public long BytesIn { get; private set; }

    /// <summary>Encoded bytes handed to the sink so far.</summary>
    public long BytesOut { get; private set; }

    /// <summary>Whether disposal saw the process exit (and reaped it) within its bound.</summary>
    public bool Reaped { get; private set; }

    /// <summary>Starts pumping <paramref name="process"/>'s output to <paramref name="sink"/>; <paramref name="slot"/> is released on dispose.</summary>
    public static StreamingEncoder Start(IEncoderProcess process, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink, IDisposable? slot = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(sink);
        return new StreamingEncoder(process, sink, slot);
    }

    /// <summary>Feeds the next PCM bytes to the encoder now (written and flushed, not held back).</summary>
    /// <exception cref="AudioEncoderException">The encoder died or rejected its input.</exception>
    public async Task WriteAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_pump.IsFaulted)
        {
            await _pump.ConfigureAwait(false);
        }

        try
        {
            await _process.Input.WriteAsync(pcm, cancellationToken).ConfigureAwait(false);
            await _process.Input.FlushAsync(cancellationToken).ConfigureAwait(false);
            BytesIn += pcm.Length;
        }
        catch (IOException exception)
        {
            // A broken pipe: the encoder exited. Its stderr says why.
            throw new AudioEncoderException($"The encoder stopped taking input: {_process.ErrorOutput}", exception);
        }
    }

    /// <summary>Ends the input, waits until every encoded byte went to the sink and the process exited cleanly.</summary>
    /// <exception cref="AudioEncoderException">The encoder exited with an error.</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        try
        {
            await _process.Input.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            throw new AudioEncoderException($"The encoder stopped taking input: {_process.ErrorOutput}", exception);
        }

        await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
        var exitCode = await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new AudioEncoderException($"The encoder exited with code {exitCode}: {_process.ErrorOutput}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            await _stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await _pump.ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException or AudioEncoderException)
            {
                // The pump ends with the process: after a kill its read breaks or is cancelled, which is expected here.
            }

            using var reap = new CancellationTokenSource(ReapTimeout);
            try
            {
                await _process.WaitForExitAsync(reap.Token).ConfigureAwait(false);
                Reaped = true;
            }
            catch (OperationCanceledException)
            {
                // Not reaped in time: the OS still reaps it when it dies; the slot is released regardless.
            }
        }
        finally
        {
            _process.Dispose();
            _stop.Dispose();
            _slot?.Dispose();
        }
    }

    private async Task PumpAsync()
    {
        // Yield first so that the constructor returns before the first read.
        await Task.Yield();
        var buffer = new byte[ReadBufferBytes];
        int read;
        while ((read = await _process.Output.ReadAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
        {
            await _sink(buffer.AsMemory(0, read), _stop.Token).ConfigureAwait(false);
            BytesOut += read;
        }
    }
}
