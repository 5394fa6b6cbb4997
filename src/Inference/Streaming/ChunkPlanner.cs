namespace Sawt.Inference.Streaming;

/// <summary>
/// Decides when the tokens generated so far make a chunk, following the chunk schedule. Pure logic: feed
/// it the count of available tokens (and whether generation ended), it answers with decode plans.
/// </summary>
public sealed class ChunkPlanner(StreamingOptions options)
{
    private int _emitted;
    private int _index;
    private bool _finished;

    /// <summary>Tokens whose audio has been planned for emission (held-back tokens excluded).</summary>
    public int EmittedTokens => _emitted;

    /// <summary>
    /// The next plan, if <paramref name="available"/> tokens allow one. With <paramref name="generationEnded"/>
    /// the final plan takes everything left (possibly nothing but the held-back tail).
    /// </summary>
    public DecodePlan? Next(int available, bool generationEnded)
    {
        if (_finished || available < _emitted)
        {
            return null;
        }

        var contextStart = Math.Max(0, _emitted - options.ContextTokens);
        if (generationEnded)
        {
            _finished = true;
            var final = new DecodePlan(_index++, contextStart, _emitted, available, available, IsFinal: true);
            _emitted = available;
            return final;
        }

        var size = options.ChunkSize(_index);
        if (available - _emitted < size + options.HoldbackTokens)
        {
            return null;
        }

        var plan = new DecodePlan(_index++, contextStart, _emitted, _emitted + size, _emitted + size + options.HoldbackTokens, IsFinal: false);
        _emitted += size;
        return plan;
    }
}
