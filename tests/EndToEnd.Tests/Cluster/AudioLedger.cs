namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// Every audio message a fault test's client received, per context, so a context that ended <c>done</c> can be checked
/// for lost, duplicated or reordered chunks. Pass <see cref="Watching"/> around every match a test receives with.
/// </summary>
internal sealed class AudioLedger
{
    private readonly Dictionary<string, List<int>> _sequences = new(StringComparer.Ordinal);

    /// <summary>The match, recording each audio message it sees on the way.</summary>
    public Func<ServerMessage, bool> Watching(Func<ServerMessage, bool> match) => message =>
    {
        if (message.Type == "audio" && message.ContextId is { } id)
        {
            if (!_sequences.TryGetValue(id, out var sequences))
            {
                _sequences[id] = sequences = [];
            }

            sequences.Add((int)message.Json["sequence"]!);
        }

        return match(message);
    };

    /// <summary>
    /// Asserts that <paramref name="end"/> is <c>done</c> and that its context's audio came whole: chunks 0 to the
    /// count the session reported, each once and in order.
    /// </summary>
    public void AssertDoneWhole(ServerMessage end, string what)
    {
        Assert.True(end.Type == "done", $"{what}: {end.Json.ToJsonString()}");
        var chunks = (int)end.Json["chunks"]!;
        var heard = _sequences.GetValueOrDefault(end.ContextId!) ?? [];
        Assert.True(
            heard.SequenceEqual(Enumerable.Range(0, chunks)),
            $"{what}: done with {chunks} chunks, heard [{string.Join(",", heard)}]");
    }
}
