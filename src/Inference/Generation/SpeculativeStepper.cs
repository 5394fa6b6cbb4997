using System.Runtime.InteropServices;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Generation;

/// <summary>
/// One lossless speculative round for a batch: the draft model proposes k tokens per sequence (its own k), the
/// target verifies all of them in one call over k + 1 positions, each sequence keeps the drafts its rejection
/// sampling accepts plus one more token (the residual draw at the first rejection, or a bonus draw after the last
/// draft), and both caches are rewound to what was kept. Probabilities on both sides are the sequence's processed
/// distribution (guidance, repetition penalty over the history up to that position, temperature, min-p, top-p), so
/// the tokens are distributed exactly as without speculation, and greedy decoding gives the same tokens.
/// </summary>
internal sealed class SpeculativeStepper(T3BatchExecutor executor, LanguageModelRunner target, LanguageModelRunner draft)
{
    private readonly int _width = target.Info.LogitsWidth;
    public static double DraftMs, VerifyMs, AcceptMs;

    public void Step(List<T3Sequence> active, CancellationToken cancellationToken)
    {
        var count = active.Count;
        var k = new int[count];
        var targetBefore = new int[count];
        var draftBefore = new int[count];
        for (var i = 0; i < count; i++)
        {
            var sequence = active[i];
            var state = State(sequence);
            // Drafting past the step cap would only be thrown away.
            k[i] = Math.Clamp(state.Controller.DraftTokens, 1, Math.Max(1, sequence.MaxSteps - sequence.Tokens.Count));
            targetBefore[i] = T3BatchExecutor.CachedPositions(target, sequence);
            draftBefore[i] = T3BatchExecutor.CachedPositions(draft, sequence);
            state.DraftHistory.Clear();
            state.DraftHistory.AddRange(sequence.History);
        }

        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        Draft(active, k, cancellationToken);
        DraftMs += System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds; t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        Verify(active, k, cancellationToken);
        VerifyMs += System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds; t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            Accept(active[i], k[i], targetBefore[i], draftBefore[i]);
        }
        AcceptMs += System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }

    /// <summary>k draft calls; a sequence with a smaller k feeds its last draft again in the calls it does not need (rewound later).</summary>
    private void Draft(List<T3Sequence> active, int[] k, CancellationToken cancellationToken)
    {
        var rounds = k.Max();
        var tokens = new long[active.Count][];
        var positions = new int[active.Count];
        for (var j = 0; j < rounds; j++)
        {
            for (var i = 0; i < active.Count; i++)
            {
                var sequence = active[i];
                var state = State(sequence);
                if (j == 0)
                {
                    var lag = state.DraftLag;
                    tokens[i] = [.. sequence.Tokens.Skip(sequence.Tokens.Count - lag)];
                    positions[i] = sequence.Tokens.Count - lag + 1;
                }
                else
                {
                    tokens[i] = [state.Drafts[Math.Min(j, k[i]) - 1]];
                    positions[i] = sequence.Tokens.Count + j;
                }
            }

            executor.Feed(draft, active, tokens, positions, allPositions: false, cancellationToken);
            for (var i = 0; i < active.Count; i++)
            {
                if (j >= k[i])
                {
                    continue;
                }

                var sequence = active[i];
                var state = State(sequence);
                var scores = executor.GuidedScores(sequence, sequence.LastLogits!, 0);
                sequence.Sampler.ProbabilitiesInto(scores, CollectionsMarshal.AsSpan(state.DraftHistory), state.DraftProbabilities[j]);
                var token = sequence.Sampler.Draw(state.DraftProbabilities[j]);
                state.Drafts[j] = token;
                state.DraftHistory.Add(token);
            }
        }
    }

    /// <summary>One target call over [newest accepted token, d1 .. dk] per sequence, keeping the logits of every position.</summary>
    private void Verify(List<T3Sequence> active, int[] k, CancellationToken cancellationToken)
    {
        var tokens = new long[active.Count][];
        var positions = new int[active.Count];
        for (var i = 0; i < active.Count; i++)
        {
            var sequence = active[i];
            tokens[i] = [sequence.Tokens[^1], .. State(sequence).Drafts.AsSpan(0, k[i])];
            positions[i] = sequence.Tokens.Count;
        }

        executor.Feed(target, active, tokens, positions, allPositions: true, cancellationToken);
    }

    private void Accept(T3Sequence sequence, int k, int targetBefore, int draftBefore)
    {
        var state = State(sequence);
        var accepted = 0;
        var verified = 0;
        for (var j = 0; j < k && !sequence.IsFinished; j++)
        {
            verified++;
            // The history now holds the prefix and the drafts accepted so far: the target's penalty at position j.
            var scores = executor.GuidedScores(sequence, sequence.PositionLogits!, j);
            sequence.Sampler.ProbabilitiesInto(scores, sequence.HistorySpan, state.TargetProbabilities);
            var verdict = sequence.Sampler.Verify(state.TargetProbabilities, state.DraftProbabilities[j], (int)state.Drafts[j]);
            sequence.Accept(verdict.Token);
            if (!verdict.Accepted)
            {
                break;
            }

            accepted++;
        }

        if (accepted == k && !sequence.IsFinished)
        {
            var scores = executor.GuidedScores(sequence, sequence.PositionLogits!, k);
            sequence.Sampler.ProbabilitiesInto(scores, sequence.HistorySpan, state.TargetProbabilities);
            sequence.Accept(sequence.Sampler.Draw(state.TargetProbabilities));
        }

        // Drafts after the sequence ended (a STOP, the guard or the step cap) were never verified: they count for nothing.
        state.Rounds++;
        state.Drafted += verified;
        state.Accepted += accepted;
        if (sequence.IsFinished)
        {
            KvBatch.Release(sequence);
            return;
        }

        // The target saw the newest token and the k drafts: keep the token and the accepted drafts. The draft saw its
        // lag and d1 .. d(k-1) (plus repeats of its last draft): keep the lag and the accepted drafts it has seen.
        state.Controller.Observe(k, accepted);
        executor.RewindTarget(sequence, targetBefore + 1 + accepted);
        T3BatchExecutor.RewindTo(draft, sequence, draftBefore + state.DraftLag + Math.Min(accepted, k - 1));
        state.DraftLag = accepted == k ? 2 : 1;
    }

    private static SpeculationState State(T3Sequence sequence) =>
        sequence.Speculation ?? throw new InvalidOperationException("The sequence was created without speculative decoding.");
}
