namespace Sawt.Gateway.Audio;

/// <summary>
/// Collects what an encoder's pump hands over until the context takes it for its next audio message. The pump
/// appends and the context takes from different threads, hence the lock. It holds at most what the encoder made of
/// the chunks not yet sent, since every audio message takes everything.
/// </summary>
internal sealed class EncodedBuffer
{
    private readonly MemoryStream _bytes = new();

    public ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        lock (_bytes)
        {
            _bytes.Write(data.Span);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Everything appended since the last call.</summary>
    public byte[] Take()
    {
        lock (_bytes)
        {
            var taken = _bytes.ToArray();
            _bytes.SetLength(0);
            return taken;
        }
    }
}
