using System.Threading.Channels;

namespace Sawt.Gateway.Tests.Audio;

/// <summary>A sink that keeps a copy of every call, in order, and lets a test await the next one.</summary>
internal sealed class RecordingSink
{
    private readonly Channel<byte[]> _calls = Channel.CreateBounded<byte[]>(1024);
    private readonly List<byte> _all = [];

    public byte[] All
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var copy = data.ToArray();
        lock (_all)
        {
            _all.AddRange(copy);
        }

        await _calls.Writer.WriteAsync(copy, cancellationToken);
    }

    /// <summary>The bytes of the next calls until <paramref name="count"/> bytes have arrived, or a timeout.</summary>
    public async Task<byte[]> ReceiveAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        var received = new List<byte>();
        while (received.Count < count)
        {
            received.AddRange(await _calls.Reader.ReadAsync(bound.Token));
        }

        return [.. received];
    }
}
