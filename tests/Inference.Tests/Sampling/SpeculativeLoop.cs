using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

/// <summary>
/// The speculative round as the batching loop runs it, for one sequence on toy models: draft k tokens from the
/// draft's processed distributions (history growing with each draft), verify them in order against the target's
/// (history up to each position), stop at the first rejection with the residual token, or add the bonus token drawn
/// from the target's distribution after all k drafts.
/// </summary>
internal sealed class SpeculativeLoop(
    ToyMarkovModel target, SamplingOptions targetOptions, ToyMarkovModel draft, SamplingOptions draftOptions)
{
    private readonly TokenSampler _targetSampler = new(targetOptions, new DeterministicRandom(0));
    private readonly TokenSampler _draftSampler = new(draftOptions, new DeterministicRandom(0));

    public int Accepted { get; private set; }

    public int Rejected { get; private set; }

    /// <summary>The first <paramref name="count"/> tokens after <paramref name="prefix"/>.</summary>
    public long[] Generate(long[] prefix, int count, int draftTokens, DeterministicRandom random, SpeculativeVerifier verify)
    {
        var width = target.Width;
        var history = new List<long>(prefix);
        var row = new float[width];
        var p = new double[width];
        var q = new double[draftTokens][];
        var drafts = new int[draftTokens];
        for (var j = 0; j < draftTokens; j++)
        {
            q[j] = new double[width];
        }

        while (history.Count - prefix.Length < count)
        {
            for (var j = 0; j < draftTokens; j++)
            {
                draft.LogitsInto(history, row);
                _draftSampler.ProbabilitiesInto(row, history.ToArray(), q[j]);
                drafts[j] = SpeculativeAcceptance.Draw(q[j], random);
                history.Add(drafts[j]);
            }

            history.RemoveRange(history.Count - draftTokens, draftTokens);
            var allAccepted = true;
            for (var j = 0; j < draftTokens; j++)
            {
                target.LogitsInto(history, row);
                _targetSampler.ProbabilitiesInto(row, history.ToArray(), p);
                var verdict = verify(p, q[j], drafts[j], random);
                history.Add(verdict.Token);
                if (!verdict.Accepted)
                {
                    Rejected++;
                    allAccepted = false;
                    break;
                }

                Accepted++;
            }

            if (allAccepted)
            {
                target.LogitsInto(history, row);
                _targetSampler.ProbabilitiesInto(row, history.ToArray(), p);
                history.Add(SpeculativeAcceptance.Draw(p, random));
            }
        }

        return history.Skip(prefix.Length).Take(count).ToArray();
    }
}
