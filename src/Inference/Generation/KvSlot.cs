namespace Sawt.Inference.Generation;

/// <summary>
/// Where a sequence's KV cache lives: its batch, its first physical row there (a guided sequence has two), and which
/// of the batch's columns are its own (1) rather than padding or rewound positions (0); <see cref="Valid"/> is as
/// long as the batch's past.
/// </summary>
internal sealed class KvSlot(KvBatch batch, int row)
{
    public KvBatch Batch { get; } = batch;

    public int Row { get; } = row;

    public List<byte> Valid { get; } = [];

    /// <summary>Positions this sequence's cache really holds.</summary>
    public int ValidCount
    {
        get
        {
            var count = 0;
            foreach (var v in Valid)
            {
                count += v;
            }

            return count;
        }
    }
}
