using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Generation;

/// <summary>
/// Advances many <see cref="T3Sequence"/>s at once: a batched prefill for newcomers, then batched
/// one-token decode steps over sequences of different lengths (left-padded caches, masked padding).
/// Single-request synthesis is the batch of one. Not thread-safe: one executor per worker loop.
/// </summary>
public sealed class T3BatchExecutor : IT3BatchExecutor
{
    /// <summary>
    /// Positions a new cache holds beyond its prefill, so the first steps never copy it; past that it doubles
    /// (<see cref="KvCache{T}"/>), so a sequence of n steps copies O(n) positions in all.
    /// </summary>
    private const int CacheHeadroom = 64;

    private static readonly string[] EmbedOutputNames = ["inputs_embeds"];
    private readonly ModelBundle _bundle;
    private readonly InferenceSession _languageModel;
    private readonly LanguageModelInfo _info;
    private readonly string[] _lmInputNames;
    private readonly string[] _lmOutputNames;

    /// <param name="bundle">Loaded bundle; the executor borrows its sessions.</param>
    /// <param name="useDraftModel">Run the bundle's draft LM instead of the target (speculative decoding and tests).</param>
    public T3BatchExecutor(ModelBundle bundle, bool useDraftModel = false)
    {
        _bundle = bundle;
        _languageModel = useDraftModel
            ? bundle.DraftLanguageModel ?? throw new InferenceException(InferenceErrorCode.InvalidOptions, "The bundle has no draft language model.")
            : bundle.LanguageModel;
        _info = useDraftModel ? bundle.DraftLanguageModelInfo! : bundle.LanguageModelInfo;
        _lmInputNames = ["inputs_embeds", "attention_mask", .. _info.PastNames()];
        _lmOutputNames = ["logits", .. _info.PresentNames()];
    }

    public LanguageModelInfo Info => _info;

    /// <summary>Validates a request and makes its sequence; no graph runs yet.</summary>
    public T3Sequence CreateSequence(GenerationRequest request)
    {
        request.Sampling.Validate();
        if (request.Voice.HiddenSize != _info.HiddenSize)
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions,
                $"The voice was encoded for hidden size {request.Voice.HiddenSize}, but this model uses {_info.HiddenSize}; re-encode it with this bundle.");
        }

        var textIds = request.Text.TextIdCount;
        var cap = Math.Min(request.Sampling.MaxNewTokens, Math.Max(150, 25 * textIds));
        cap = Math.Min(cap, ChatterboxConstants.SpeechPositionTable - 4);
        var seed = request.Sampling.Seed ?? DeterministicRandom.NewSeed();
        return new T3Sequence(request, new TokenSampler(request.Sampling, new DeterministicRandom(seed)), new RepetitionGuard(), cap);
    }

    /// <summary>Embeds and prefills the given sequences together, then samples each one's first token.</summary>
    public void Prefill(IReadOnlyList<T3Sequence> sequences, CancellationToken cancellationToken = default)
    {
        if (sequences.Count == 0)
        {
            return;
        }

        var h = _info.HiddenSize;
        var rows = new List<(T3Sequence Sequence, float[] Embeds)>();
        foreach (var sequence in sequences)
        {
            if (sequence.IsPrefilled)
            {
                throw new InvalidOperationException("Sequence is already prefilled.");
            }

            var conditional = PrefillEmbeddings(sequence, cancellationToken);
            rows.Add((sequence, conditional));
            if (sequence.UsesGuidance)
            {
                // Unconditional row: the text span ([START]..[STOP]) zeroed, token and position alike (contract 2.6).
                var unconditional = (float[])conditional.Clone();
                var start = sequence.Voice.ConditioningLength + sequence.Text.TextStartIndex;
                Array.Clear(unconditional, start * h, sequence.Text.TextIdCount * h);
                rows.Add((sequence, unconditional));
            }

            if (sequence.FedEmbeddings is { } fed)
            {
                var own = rows.Where(r => r.Sequence == sequence).ToList();
                for (var r = 0; r < own.Count; r++)
                {
                    fed[r].AddRange(own[r].Embeds);
                }
            }
        }

        var length = rows.Max(r => r.Embeds.Length / h);
        var embeds = new float[rows.Count * length * h];
        var mask = new long[rows.Count * length];
        for (var r = 0; r < rows.Count; r++)
        {
            var own = rows[r].Embeds.Length / h;
            rows[r].Embeds.CopyTo(embeds, ((r * length) + (length - own)) * h);
            Array.Fill(mask, 1L, (r * length) + (length - own), own);
        }

        var newCounts = sequences.Select(s => s.Voice.ConditioningLength + s.Text.Ids.Length).ToArray();
        RunLanguageModel(sequences, embeds, mask, rows.Count, length, pastLength: 0, newCounts, cancellationToken);
        foreach (var sequence in sequences)
        {
            sequence.IsPrefilled = true;
        }

        SampleAll(sequences);
    }

    /// <summary>One decode step for every unfinished, prefilled sequence in the list.</summary>
    public void Step(IReadOnlyList<T3Sequence> sequences, CancellationToken cancellationToken = default)
    {
        var active = sequences.Where(s => s.IsPrefilled && !s.IsFinished).ToList();
        if (active.Count == 0)
        {
            return;
        }

        var h = _info.HiddenSize;
        var tokenEmbeds = EmbedLastTokens(active, cancellationToken);
        var rowCount = active.Sum(s => s.Rows);
        var past = active.Max(CacheLength);
        var embeds = new float[rowCount * h];
        var mask = new long[rowCount * (past + 1)];
        var row = 0;
        for (var i = 0; i < active.Count; i++)
        {
            var own = CacheLength(active[i]);
            for (var r = 0; r < active[i].Rows; r++, row++)
            {
                tokenEmbeds.AsSpan(i * h, h).CopyTo(embeds.AsSpan(row * h, h));
                Array.Fill(mask, 1L, (row * (past + 1)) + (past - own), own + 1);
                active[i].FedEmbeddings?[r].AddRange(tokenEmbeds.AsSpan(i * h, h));
            }
        }

        RunLanguageModel(active, embeds, mask, rowCount, 1, past, [.. active.Select(_ => 1)], cancellationToken);
        SampleAll(active);
    }

    /// <summary>
    /// Runs the LM on a whole embedding sequence from an empty cache and returns logits [rows, length, width].
    /// The reference for KV-cache parity: incremental decoding must give the same last-position logits.
    /// </summary>
    internal float[] RecomputeLogits(float[] embeds, int rows, int length, CancellationToken cancellationToken = default)
    {
        var mask = new long[rows * length];
        Array.Fill(mask, 1L);
        return _info.KvElementType == TensorElementType.Float16
            ? new LanguageModelCall<Float16>(this, rows, length, 0).RunForLogits(embeds, mask, cancellationToken)
            : new LanguageModelCall<float>(this, rows, length, 0).RunForLogits(embeds, mask, cancellationToken);
    }

    internal static int CacheLength(T3Sequence sequence) => sequence.Cache switch
    {
        KvCache<float> f => f.Length,
        KvCache<Float16> f => f.Length,
        _ => 0,
    };

    /// <summary>Bytes the sequence's KV cache holds (its capacity, not its length); 0 before prefill.</summary>
    internal static long CacheBytes(T3Sequence sequence) => sequence.Cache switch
    {
        KvCache<float> c => c.CapacityBytes,
        KvCache<Float16> c => c.CapacityBytes,
        _ => 0,
    };

    private float[] PrefillEmbeddings(T3Sequence sequence, CancellationToken cancellationToken)
    {
        var ids = sequence.Text.Ids;
        var positions = new long[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            positions[i] = ids[i] >= ChatterboxConstants.StartOfSpeech ? 0 : i - 1;
        }

        var text = Embed(ids, positions, [sequence.Sampling.Exaggeration], 1, ids.Length, cancellationToken);
        var voice = sequence.Voice;
        var combined = new float[voice.AudioFeatures.Length + text.Length];
        voice.AudioFeatures.CopyTo(combined, 0);
        text.CopyTo(combined, voice.AudioFeatures.Length);
        return combined;
    }

    /// <summary>Embeds each sequence's newest token at speech position k (k = 1 for the first generated token).</summary>
    private float[] EmbedLastTokens(List<T3Sequence> active, CancellationToken cancellationToken)
    {
        var ids = new long[active.Count];
        var positions = new long[active.Count];
        var exaggeration = new float[active.Count];
        for (var i = 0; i < active.Count; i++)
        {
            ids[i] = active[i].Tokens[^1];
            positions[i] = active[i].Tokens.Count;
            exaggeration[i] = active[i].Sampling.Exaggeration;
        }

        return Embed(ids, positions, exaggeration, active.Count, 1, cancellationToken);
    }

    private float[] Embed(long[] ids, long[] positions, float[] exaggeration, int batch, int length, CancellationToken cancellationToken)
    {
        using var call = new OrtCall(_bundle.Ledger)
            .Input("input_ids", ids, batch, length)
            .Input("position_ids", positions, batch, length)
            .Input("exaggeration", exaggeration, batch);
        return call.Run(_bundle.EmbedTokens, EmbedOutputNames, "embed_tokens", cancellationToken)[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private void RunLanguageModel(IReadOnlyList<T3Sequence> sequences, float[] embeds, long[] mask, int rows, int length, int pastLength, int[] newCounts, CancellationToken cancellationToken)
    {
        if (_info.KvElementType == TensorElementType.Float16)
        {
            new LanguageModelCall<Float16>(this, rows, length, pastLength).Run(sequences, embeds, mask, newCounts, cancellationToken);
        }
        else
        {
            new LanguageModelCall<float>(this, rows, length, pastLength).Run(sequences, embeds, mask, newCounts, cancellationToken);
        }
    }

    private void SampleAll(IReadOnlyList<T3Sequence> sequences)
    {
        var width = _info.LogitsWidth;
        foreach (var sequence in sequences)
        {
            var logits = sequence.LastLogits!;
            var scores = sequence.Scratch(width);
            logits.AsSpan(0, width).CopyTo(scores);
            if (sequence.UsesGuidance)
            {
                TokenSampler.ApplyClassifierFreeGuidance(scores, logits.AsSpan(width, width), sequence.Sampling.CfgWeight);
            }

            sequence.Accept(sequence.Sampler.Sample(scores, sequence.HistorySpan));
        }
    }

    /// <summary>One LM call over a batch with caches of element type <typeparamref name="T"/>.</summary>
    private readonly struct LanguageModelCall<T>(T3BatchExecutor owner, int rows, int length, int pastLength)
        where T : unmanaged
    {
        private LanguageModelInfo Info => owner._info;

        public void Run(IReadOnlyList<T3Sequence> sequences, float[] embeds, long[] mask, int[] newCounts, CancellationToken cancellationToken)
        {
            var pasts = BuildPasts(sequences);
            using var call = Execute(embeds, mask, pasts, cancellationToken);
            var outputs = call.Outputs;
            var width = Info.LogitsWidth;
            var logits = outputs[0].GetTensorDataAsSpan<float>();
            var present = pastLength + length;
            var row = 0;
            for (var i = 0; i < sequences.Count; i++)
            {
                var sequence = sequences[i];
                var cache = (KvCache<T>?)sequence.Cache ?? new KvCache<T>(Info.Layers, sequence.Rows, Info.KvHeads, Info.HeadDim, newCounts[i] + CacheHeadroom);
                sequence.Cache = cache;
                for (var l = 0; l < Info.Layers; l++)
                {
                    cache.AppendFrom(outputs[1 + (2 * l)].GetTensorDataAsSpan<T>(), l, value: false, row, present, newCounts[i]);
                    cache.AppendFrom(outputs[2 + (2 * l)].GetTensorDataAsSpan<T>(), l, value: true, row, present, newCounts[i]);
                }

                cache.Commit(newCounts[i]);
                var last = new float[sequence.Rows * width];
                for (var r = 0; r < sequence.Rows; r++)
                {
                    logits.Slice(((((row + r) * length) + length - 1) * width), width).CopyTo(last.AsSpan(r * width, width));
                }

                sequence.LastLogits = last;
                row += sequence.Rows;
            }
        }

        public float[] RunForLogits(float[] embeds, long[] mask, CancellationToken cancellationToken)
        {
            var empty = new T[Info.Layers * 2][];
            for (var i = 0; i < empty.Length; i++)
            {
                empty[i] = [];
            }

            using var call = Execute(embeds, mask, empty, cancellationToken);
            return call.Outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }

        private T[][] BuildPasts(IReadOnlyList<T3Sequence> sequences)
        {
            var pasts = new T[Info.Layers * 2][];
            var size = rows * Info.KvHeads * pastLength * Info.HeadDim;
            for (var l = 0; l < Info.Layers; l++)
            {
                var keys = new T[size];
                var values = new T[size];
                var row = 0;
                foreach (var sequence in sequences)
                {
                    if (sequence.Cache is KvCache<T> cache)
                    {
                        cache.CopyInto(keys, l, value: false, row, pastLength);
                        cache.CopyInto(values, l, value: true, row, pastLength);
                    }

                    row += sequence.Rows;
                }

                pasts[2 * l] = keys;
                pasts[(2 * l) + 1] = values;
            }

            return pasts;
        }

        private OrtCall Execute(float[] embeds, long[] mask, T[][] pasts, CancellationToken cancellationToken)
        {
            var call = new OrtCall(owner._bundle.Ledger);
            try
            {
                call.Input("inputs_embeds", embeds, rows, length, Info.HiddenSize)
                    .Input("attention_mask", mask, rows, pastLength + length);
                var names = owner._lmInputNames;
                for (var i = 0; i < pasts.Length; i++)
                {
                    call.Input(names[2 + i], pasts[i], rows, Info.KvHeads, pastLength, Info.HeadDim);
                }

                call.Run(owner._languageModel, owner._lmOutputNames, "language_model", cancellationToken);
                return call;
            }
            catch
            {
                call.Dispose();
                throw;
            }
        }
    }
}
