using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Generation;

internal static class GenerationHelpers
{
    public static T3Sequence NewSequence(TtsEngine engine, T3BatchExecutor executor, string text, ulong seed, float cfgWeight, string language = "en")
    {
        var request = new GenerationRequest(
            engine.Tokenizer.Encode(text, language),
            engine.DefaultVoice,
            new SamplingOptions { Seed = seed, CfgWeight = cfgWeight, MaxNewTokens = 1000 });
        var sequence = executor.CreateSequence(request);
        sequence.FedEmbeddings = Enumerable.Range(0, sequence.Rows).Select(_ => new List<float>()).ToArray();
        return sequence;
    }

    /// <summary>Prefill and up to <paramref name="steps"/> steps; per sequence, the raw logits after each LM call.</summary>
    public static List<List<float[]>> Generate(T3BatchExecutor executor, IReadOnlyList<T3Sequence> sequences, int steps) =>
        Generate(executor, sequences, stepsDone => stepsDone < steps);

    /// <summary>
    /// Prefill, then steps while <paramref name="keepStepping"/> (given the steps done so far) says so and some sequence
    /// is unfinished; per sequence, the raw logits after each LM call it took part in.
    /// </summary>
    public static List<List<float[]>> Generate(T3BatchExecutor executor, IReadOnlyList<T3Sequence> sequences, Func<int, bool> keepStepping)
    {
        var log = sequences.Select(_ => new List<float[]>()).ToList();
        executor.Prefill(sequences, TestContext.Current.CancellationToken);
        Record();
        for (var s = 0; keepStepping(s) && sequences.Any(q => !q.IsFinished); s++)
        {
            var unfinished = sequences.Where(q => !q.IsFinished).ToList();
            executor.Step(sequences, TestContext.Current.CancellationToken);
            foreach (var q in unfinished)
            {
                log[sequences.ToList().IndexOf(q)].Add((float[])q.LastLogits!.Clone());
            }
        }

        return log;

        void Record()
        {
            for (var i = 0; i < sequences.Count; i++)
            {
                log[i].Add((float[])sequences[i].LastLogits!.Clone());
            }
        }
    }
}
