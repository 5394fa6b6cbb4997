using Sawt.Contracts.Sessions;

namespace Sawt.Gateway.Tests.Infrastructure;

/// <summary>
/// A session grain as the gateway's handle sees it, scripted: <see cref="Published"/> is everything the session
/// published (its replay buffer, never trimmed); probes are answered, but nothing reaches the stream, which the test
/// feeds itself (a probe's answer too, when <see cref="ProbeAnswer"/> is set). <see cref="Lost"/> makes every replay fail as a session lost with its silo does; <see cref="MisroutedInputs"/>
/// answers input as an activation that never started does.
/// </summary>
internal sealed class ScriptedSessionGrain : ITtsSessionGrain
{
    private readonly Lock _gate = new();
    private readonly List<int> _replaysFrom = [];
    private readonly List<(int Delivered, bool Ended)> _acknowledgements = [];

    public List<SessionEvent> Published { get; } = [];

    public bool Lost { get; init; }

    /// <summary>The replay answers as a session whose cap dropped the chunks asked for.</summary>
    public bool Trimmed { get; init; }

    public int Cancels { get; private set; }

    public IReadOnlyList<int> ReplaysFrom
    {
        get
        {
            lock (_gate)
            {
                return [.. _replaysFrom];
            }
        }
    }

    public IReadOnlyList<(int Delivered, bool Ended)> Acknowledgements
    {
        get
        {
            lock (_gate)
            {
                return [.. _acknowledgements];
            }
        }
    }

    public Task Start(SessionStart start) => Task.CompletedTask;

    /// <summary>
    /// How many input calls (text, flush, end) are answered as a new activation that never started answers them
    /// (<c>unavailable</c>, the input dropped), as a call can be routed while a silo holding directory entries leaves.
    /// </summary>
    public int MisroutedInputs { get; set; }

    /// <summary>Every input call that reached the session (in order), and every one made, misrouted or not.</summary>
    public List<string> Inputs { get; } = [];

    public int InputCalls { get; private set; }

    public Task AppendText(string text) => Input("text:" + text);

    public Task Flush() => Input("flush");

    public Task Complete() => Input("end");

    public Task Cancel()
    {
        Cancels++;
        return Task.CompletedTask;
    }

    /// <summary>
    /// When set, a probe's answer reaches the stream: the test delivers the <see cref="SessionProbed"/> it makes. Unset,
    /// probes are answered but the stream carries nothing.
    /// </summary>
    public Func<long, SessionProbed>? ProbeAnswer { get; set; }

    /// <summary>Where a probe's answer goes (the handle's stream callback).</summary>
    public Func<SessionEvent, Task>? Stream { get; set; }

    public Task Probe(long probe)
    {
        if (Lost)
        {
            return Task.FromException(Gone());
        }

        return ProbeAnswer is { } answer && Stream is { } stream ? stream(answer(probe)) : Task.CompletedTask;
    }

    public Task Renew() => Lost ? Task.FromException(Gone()) : Task.CompletedTask;

    public Task<SessionReplay> Replay(int fromSequence, TimeSpan wait)
    {
        lock (_gate)
        {
            _replaysFrom.Add(fromSequence);
        }

        if (Lost)
        {
            return Task.FromException<SessionReplay>(Gone());
        }

        if (Trimmed)
        {
            return Task.FromResult(new SessionReplay([], Whole: false));
        }

        SessionEvent[] rest = [.. Published.Where(e => e is not AudioChunkEvent chunk || chunk.Sequence >= fromSequence)];
        return Task.FromResult(new SessionReplay(rest, Whole: true));
    }

    public Task Acknowledge(int delivered, bool ended)
    {
        lock (_gate)
        {
            _acknowledgements.Add((delivered, ended));
        }

        return Task.CompletedTask;
    }

    private Task Input(string input)
    {
        lock (_gate)
        {
            InputCalls++;
            if (MisroutedInputs > 0)
            {
                MisroutedInputs--;
                return Task.FromException(Gone());
            }

            Inputs.Add(input);
            return Task.CompletedTask;
        }
    }

    private static SessionRejectedException Gone() =>
        new("unavailable", "This session is no longer active in the cluster.", retryable: true, retryAfterSeconds: 1);
}
