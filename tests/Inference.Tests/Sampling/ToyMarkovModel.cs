using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

/// <summary>
/// A second-order Markov "LM" over a small vocabulary: logits = First[last] + Second[second last], from seeded
/// random tables. Together with the repetition penalty over the whole history, each position's distribution
/// depends on the tokens before it, as a real LM's does.
/// </summary>
internal sealed class ToyMarkovModel
{
    private readonly float[,] _first;
    private readonly float[,] _second;

    public ToyMarkovModel(int width, ulong seed, float scale)
    {
        Width = width;
        var random = new DeterministicRandom(seed);
        _first = Table(width, random, scale);
        _second = Table(width, random, scale / 2);
    }

    public int Width { get; }

    public void LogitsInto(IReadOnlyList<long> history, Span<float> logits)
    {
        var last = (int)history[^1];
        var secondLast = history.Count > 1 ? (int)history[^2] : last;
        for (var id = 0; id < Width; id++)
        {
            logits[id] = _first[last, id] + _second[secondLast, id];
        }
    }

    private static float[,] Table(int width, DeterministicRandom random, float scale)
    {
        var table = new float[width, width];
        for (var from = 0; from < width; from++)
        {
            for (var to = 0; to < width; to++)
            {
                table[from, to] = (float)((random.NextDouble() * 2) - 1) * scale;
            }
        }

        return table;
    }
}
