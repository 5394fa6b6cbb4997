namespace Sawt.Bench.Load;

/// <summary>Turns the generator's attempts and the verified streams into <see cref="LoadResults"/>. Pure.</summary>
internal static class LoadAnalysis
{
    private const int MaxListedViolations = 200;

    /// <param name="utterances">Utterances planned.</param>
    /// <param name="attempts">Every attempt the generator made.</param>
    /// <param name="sockets">Each socket's verification.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps (<see cref="System.Diagnostics.Stopwatch.Frequency"/>).</param>
    public static LoadResults Analyze(int utterances, IReadOnlyList<ContextAttempt> attempts, IReadOnlyList<StreamVerification> sockets, long timestampFrequency)
    {
        var streams = new Dictionary<string, ContextStream>(StringComparer.Ordinal);
        foreach (var socket in sockets)
        {
            foreach (var (id, stream) in socket.Contexts)
            {
                streams[id] = stream;
            }
        }

        double Milliseconds(long ticks) => ticks * 1000.0 / timestampFrequency;

        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var ttfa = new List<double>();
        var serverTtfa = new List<double>();
        var gaps = new List<double>();
        var rtf = new List<double>();
        var toBusy = new List<double>();
        var completed = new HashSet<int>();
        var chunks = 0;
        var audioSeconds = 0.0;
        var busyAfterStarted = 0;
        var busyAfterAudio = 0;
        foreach (var attempt in attempts)
        {
            var stream = streams.GetValueOrDefault(attempt.ContextId);
            var code = stream?.Terminal switch
            {
                null => attempt.ClientCode,
                Protocol.DoneMessage => LoadOutcomes.Done,
                Protocol.CancelledMessage => LoadOutcomes.Cancelled,
                _ => stream.ErrorCode!,
            };
            outcomes[code] = outcomes.GetValueOrDefault(code) + 1;
            if (code == Protocol.ErrorCodes.Busy && attempt.FirstTextTimestamp is { } sent && stream?.TerminalTimestamp is { } refused)
            {
                toBusy.Add(Milliseconds(refused - sent));
            }

            if (code == Protocol.ErrorCodes.Busy && stream is { Started: true })
            {
                busyAfterStarted++;
                busyAfterAudio += stream.Chunks.Count > 0 ? 1 : 0;
            }

            if (stream?.Done is not { } done || !completed.Add(attempt.Utterance))
            {
                continue;
            }

            chunks += stream.Chunks.Count;
            audioSeconds += done.AudioMilliseconds / 1000.0;
            serverTtfa.Add(done.TimeToFirstAudioMilliseconds);
            if (attempt.FirstTextTimestamp is not { } firstText)
            {
                continue;
            }

            var first = stream.Chunks.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.Bytes > 0);
            if (first.c is not null)
            {
                ttfa.Add(Milliseconds(first.c.Timestamp - firstText));
                for (var i = first.i + 1; i < stream.Chunks.Count; i++)
                {
                    gaps.Add(Milliseconds(stream.Chunks[i].Timestamp - stream.Chunks[i - 1].Timestamp));
                }
            }

            var wall = Milliseconds(stream.TerminalTimestamp!.Value - firstText) / 1000.0;
            if (wall > 0)
            {
                rtf.Add(done.AudioMilliseconds / 1000.0 / wall);
            }
        }

        var refusals = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var code in sockets.SelectMany(s => s.SocketErrors))
        {
            refusals[code] = refusals.GetValueOrDefault(code) + 1;
        }

        var violations = sockets.SelectMany(s => s.Violations).ToList();
        var byKind = Enum.GetValues<ViolationKind>().ToDictionary(k => k.ToString(), k => violations.Count(v => v.Kind == k));
        var firstAttempts = attempts.Select(a => a.Utterance).Distinct().Count();
        return new LoadResults(
            utterances,
            completed.Count,
            attempts.Count,
            attempts.Count - firstAttempts,
            outcomes,
            refusals,
            Distribution.From(ttfa),
            Distribution.From(serverTtfa),
            Distribution.From(gaps),
            Distribution.From(rtf),
            Distribution.From(toBusy),
            chunks,
            audioSeconds,
            busyAfterStarted,
            busyAfterAudio,
            byKind,
            violations.Take(MaxListedViolations).Select(v => v.ToString()).ToList());
    }
}
