namespace Sawt.Inference.Tests.Streaming.Pipeline;

/// <summary>What the pipeline asked of its ports, in order: "start A", "end A", "decode A 0-12", ...</summary>
internal sealed class CallLog
{
    private readonly List<string> _calls = [];

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public void Add(string call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }

    /// <summary>Position of the first call equal to <paramref name="call"/>; fails the test when it never happened.</summary>
    public int IndexOf(string call)
    {
        var index = Calls.ToList().IndexOf(call);
        Assert.True(index >= 0, $"'{call}' never happened; calls: {string.Join(", ", Calls)}");
        return index;
    }

    /// <summary>Position of the last call starting with <paramref name="prefix"/>.</summary>
    public int LastIndexStartingWith(string prefix)
    {
        var index = Calls.ToList().FindLastIndex(c => c.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no call starts with '{prefix}'; calls: {string.Join(", ", Calls)}");
        return index;
    }
}
