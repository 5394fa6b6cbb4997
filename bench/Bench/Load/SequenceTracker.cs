namespace Sawt.Bench.Load;

/// <summary>One context's sequence numbers as they arrive: duplicates and late (reordered) ones at once, gaps at the end.</summary>
internal sealed class SequenceTracker
{
    private readonly HashSet<int> _seen = [];
    private int _highest = -1;

    public int Distinct => _seen.Count;

    /// <summary>Records one arrival; what is wrong with it, if anything.</summary>
    public (ViolationKind Kind, string Detail)? Accept(int sequence)
    {
        if (sequence < 0)
        {
            return (ViolationKind.Unexpected, $"sequence {sequence} is negative");
        }

        if (!_seen.Add(sequence))
        {
            return (ViolationKind.Duplicate, $"sequence {sequence} arrived again");
        }

        if (sequence < _highest)
        {
            return (ViolationKind.Reorder, $"sequence {sequence} arrived after {_highest}");
        }

        _highest = sequence;
        return null;
    }

    /// <summary>The numbers below the highest received that never came.</summary>
    public IReadOnlyList<int> Missing() => Enumerable.Range(0, _highest + 1).Where(s => !_seen.Contains(s)).ToList();
}
