using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Generation;

/// <summary>
/// Advances many <see cref="T3Sequence"/>s at once: a batched prefill for newcomers, then batched
/// one-token decode steps over sequences of different lengths (left-padded caches, masked padding).
/// The caches stay resident as the graph's own values in a <see cref="KvBatch"/>: a step feeds the previous
/// step's presents back as pasts; a change of membership costs one gather. Single-request synthesis is the batch
/// of one. The executor itself holds no per-sequence state, so several loops may share it, but the sequences of
/// one batch belong to one loop (not thread-safe).
/// </summary>
public sealed class T3BatchExecutor : IT3BatchExecutor
{
    private static readonly string[] EmbedOutputNames = ["inputs_embeds"];
    private readonly ModelBundle _bundle;
    private readonly LanguageModelRunner _target;
    private readonly LanguageModelInfo _info;
    private readonly LanguageModelRunner? _draft;
    private readonly SpeculativeOptions? _speculative;
    private readonly SpeculativeStepper? _stepper;
    private readonly bool _turbo;

    /// <param name="bundle">Loaded bundle; the executor borrows its sessions.</param>
    /// <param name="useDraftModel">Run the bundle's draft LM instead of the target (speculative decoding and tests).</param>
    public T3BatchExecutor(ModelBundle bundle, bool useDraftModel = false)
    {
        _bundle = bundle;
        _turbo = bundle.Layout == BundleLayout.Turbo;
        var session = useDraftModel
            ? bundle.DraftLanguageModel ?? throw new InferenceException(InferenceErrorCode.InvalidOptions, "The bundle has no draft language model.")
            : bundle.LanguageModel;
        _info = useDraftModel ? bundle.DraftLanguageModelInfo! : bundle.LanguageModelInfo;
        _target = new LanguageModelRunner(session, _info, new KvLayout(_info, bundle.Ledger, slotIndex: 0));
    }

    /// <param name="bundle">Loaded bundle; the executor borrows its sessions.</param>
    /// <param name="speculative">
    /// Speculative decoding with the bundle's draft model when enabled (refused with <c>invalid_options</c> when the
    /// bundle has none); off, the executor decodes one token per step.
    /// </param>
    public T3BatchExecutor(ModelBundle bundle, SpeculativeOptions speculative)
        : this(bundle)
    {
        speculative.Validate();
        if (!speculative.Enabled)
        {
            return;
        }

        if (_info.GuidanceInGraph)
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions,
                "Speculative decoding is enabled, but the bundle has the v2 layout (CFG inside the graph, a fixed batch of two rows), which decodes one token per step; turn speculative decoding off for this bundle.");
        }

        var draftSession = bundle.DraftLanguageModel ?? throw new InferenceException(
            InferenceErrorCode.InvalidOptions,
            "Speculative decoding is enabled, but the bundle has no draft language model (onnx/language_model_draft.onnx, or a draft variant in the bundle options).");
        var draftInfo = bundle.DraftLanguageModelInfo!;
        _draft = new LanguageModelRunner(draftSession, draftInfo, new KvLayout(draftInfo, bundle.Ledger, slotIndex: 1));
        _speculative = speculative;
        _stepper = new SpeculativeStepper(this, _target, _draft);
    }

    internal LanguageModelRunner Target => _target;

    internal LanguageModelRunner? Draft => _draft;

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
        if (_turbo)
        {
            // GPT-2's one position table holds conditioning, text and speech together.
            cap = Math.Min(cap, TurboConstants.PositionTable - request.Voice.ConditioningLength - request.Text.Ids.Length);
            if (cap < 1)
            {
                throw new InferenceException(InferenceErrorCode.TextTooLong,
                    $"The text produced {request.Text.Ids.Length} ids; with the voice's {request.Voice.ConditioningLength} conditioning positions no speech fits the model's {TurboConstants.PositionTable} positions. Split it into shorter requests.");
            }
        }
        var seed = request.Sampling.Seed ?? DeterministicRandom.NewSeed();
        var textStart = request.Voice.ConditioningLength + request.Text.TextStartIndex;
        var order = _turbo ? SamplingOrder.Turbo : SamplingOrder.Multilingual;
        long[]? closing = _turbo ? [.. Enumerable.Repeat(TurboConstants.SilenceToken, TurboConstants.SilenceTokenCount)] : null;
        return new T3Sequence(request, new TokenSampler(request.Sampling, new DeterministicRandom(seed), order), new RepetitionGuard(), cap, allowsGuidance: !_turbo, closing)
        {
            Speculation = _speculative is null ? null : new SpeculationState(_speculative, _info.LogitsWidth),
            GuidanceInGraph = _info.GuidanceInGraph,
            Alignment = _info.HasAttentionOutputs ? new AlignmentStreamAnalyzer(textStart, textStart + textIds) : null,
        };
    }

    /// <summary>Embeds and prefills the given sequences together, then samples each one's first token.</summary>
    public void Prefill(IReadOnlyList<T3Sequence> sequences, CancellationToken cancellationToken = default)
    {
        if (sequences.Count == 0)
        {
            return;
        }

        if (_info.GuidanceInGraph && sequences.Count > 1)
        {
            // The v2 graph's batch is one sequence's two rows: each sequence runs its own calls.
            foreach (var sequence in sequences)
            {
                Prefill([sequence], cancellationToken);
            }

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

            if (sequence.GuidanceInGraph)
            {
                // The v2 embedding graph zeroes the unconditional row's text span itself.
                var (conditionalRow, unconditionalRow) = PairedPrefillEmbeddings(sequence, cancellationToken);
                rows.Add((sequence, conditionalRow));
                rows.Add((sequence, unconditionalRow));
            }
            else
            {
                var conditional = PrefillEmbeddings(sequence, cancellationToken);
                rows.Add((sequence, conditional));
                if (sequence.HostGuidance)
                {
                    // Unconditional row: the text span ([START]..[STOP]) zeroed, token and position alike (contract 2.6).
                    var unconditional = (float[])conditional.Clone();
                    var start = sequence.Voice.ConditioningLength + sequence.Text.TextStartIndex;
                    Array.Clear(unconditional, start * h, sequence.Text.TextIdCount * h);
                    rows.Add((sequence, unconditional));
                }
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
        var ownLengths = sequences.Select(s => s.Voice.ConditioningLength + s.Text.Ids.Length).ToArray();
        KvBatch PrefillOn(LanguageModelRunner model, KvBatch.LogitsReader readLogits)
        {
            var batch = KvBatch.Empty(model.Layout, sequences);
            try
            {
                batch.Run(model.Session, length, FillPrefill, (member, column) => column >= length - ownLengths[member], readLogits, cancellationToken,
                    sequences[0].Sampling.CfgWeight, AlignmentReader(sequences, ChatterboxConstants.StartOfSpeech));
                return batch;
            }
            catch
            {
                batch.Dispose();
                throw;
            }
        }

        void FillPrefill(Span<float> embeds)
        {
            embeds.Clear();
            for (var r = 0; r < rows.Count; r++)
            {
                var own = rows[r].Embeds.Length / h;
                rows[r].Embeds.CopyTo(embeds[(((r * length) + (length - own)) * h)..]);
            }
        }

        // The draft (speculative decoding) reads the same prefill: it shares embed_tokens and the hidden size.
        var target = PrefillOn(_target, logits => KeepLastLogits(sequences, logits, length));
        try
        {
            if (_draft is not null)
            {
                _ = PrefillOn(_draft, static _ => { });
            }
        }
        catch
        {
            target.Dispose();
            throw;
        }

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

        if (_stepper is not null)
        {
            _stepper.Step(active, cancellationToken);
            return;
        }

        if (_info.GuidanceInGraph && active.Count > 1)
        {
            // The v2 graph's batch is one sequence's two rows: each sequence runs its own call.
            foreach (var sequence in active)
            {
                Step([sequence], cancellationToken);
            }

            return;
        }

        var newest = new long[active.Count][];
        var positions = new int[active.Count];
        for (var i = 0; i < active.Count; i++)
        {
            newest[i] = [active[i].Tokens[^1]];
            positions[i] = active[i].Tokens.Count;
        }

        Feed(_target, active, newest, positions, allPositions: false, cancellationToken);
        SampleAll(active);
    }

    /// <summary>
    /// Frees a sequence's cache (it ended, or was cancelled or failed): the scheduler calls this for every sequence it
    /// drops; a finished sequence's cache is freed by the step that finished it.
    /// </summary>
    public void Release(T3Sequence sequence) => KvBatch.Release(sequence);

    /// <summary>
    /// Feeds each sequence its next tokens on one model, in one call: sequence i gets tokens[i] (at least one) at speech
    /// positions firstPositions[i], +1, ... (token j of <see cref="T3Sequence.Tokens"/> sits at position j + 1),
    /// right-aligned in the call's columns (the left padding is hidden). Keeps the logits of each sequence's last position in <see cref="T3Sequence.LastLogits"/>, or with
    /// <paramref name="allPositions"/> those of each of its own fed positions in <see cref="T3Sequence.PositionLogits"/>
    /// ([position, row, width]).
    /// </summary>
    internal void Feed(LanguageModelRunner model, IReadOnlyList<T3Sequence> sequences, IReadOnlyList<long[]> tokens, int[] firstPositions, bool allPositions, CancellationToken cancellationToken)
    {
        var h = model.Info.HiddenSize;
        var length = tokens.Max(t => t.Length);
        var batch = KvBatch.Assemble(model.Layout, sequences);
        var ids = new long[sequences.Count * length];
        var positions = new long[sequences.Count * length];
        // The v2 embedding graph takes exaggeration as [1] (its calls hold one sequence).
        var exaggeration = new float[_info.GuidanceInGraph ? 1 : sequences.Count];
        for (var i = 0; i < sequences.Count; i++)
        {
            var first = firstPositions[i];
            var pad = length - tokens[i].Length;
            for (var c = 0; c < tokens[i].Length; c++)
            {
                ids[(i * length) + pad + c] = tokens[i][c];
                positions[(i * length) + pad + c] = first + c;
            }

            exaggeration[Math.Min(i, exaggeration.Length - 1)] = sequences[i].Sampling.Exaggeration;
        }

        // Turbo's embed reads the last two positions of a call as speech, so every fed speech token is its own row.
        var tokenEmbeds = _turbo
            ? EmbedIds(ids, sequences.Count * length, 1, cancellationToken)
            : Embed(ids, positions, exaggeration, sequences.Count, length, cancellationToken);
        if (model == _target)
        {
            RecordFed(sequences, tokens, tokenEmbeds, length);
        }

        batch.Run(
            model.Session,
            length,
            embeds =>
            {
                var row = 0;
                for (var i = 0; i < sequences.Count; i++)
                {
                    for (var r = 0; r < sequences[i].Rows; r++, row++)
                    {
                        tokenEmbeds.AsSpan(i * length * h, length * h).CopyTo(embeds.Slice(row * length * h, length * h));
                    }
                }
            },
            (member, column) => column >= length - tokens[member].Length,
            logits =>
            {
                if (allPositions)
                {
                    KeepAllLogits(sequences, tokens, logits, length);
                }
                else
                {
                    KeepLastLogits(sequences, logits, length);
                }
            },
            cancellationToken,
            sequences[0].Sampling.CfgWeight,
            AlignmentReader(sequences, sequences[0].Tokens.Count > 0 ? sequences[0].Tokens[^1] : ChatterboxConstants.StartOfSpeech));
    }

    /// <summary>
    /// For the v2 graph (one sequence per call): averages the alignment heads of <c>attn_layers</c> and runs the
    /// sequence's alignment guard, whose decision the next sampling applies. <paramref name="lastToken"/> is the token
    /// whose embedding this call fed (6561 for the prefill).
    /// </summary>
    private KvBatch.AttentionReader? AlignmentReader(IReadOnlyList<T3Sequence> sequences, long lastToken)
    {
        if (!_info.HasAttentionOutputs)
        {
            return null;
        }

        var sequence = sequences.Count == 1
            ? sequences[0]
            : throw new InvalidOperationException("A v2 language-model call holds exactly one sequence.");
        return (attention, queryLength, keyLength) =>
        {
            var analyzer = sequence.Alignment!;
            var averaged = new float[queryLength * keyLength];
            AlignmentStreamAnalyzer.AverageHeads(attention, queryLength, keyLength, averaged);
            sequence.PendingAlignment = analyzer.Step(averaged, queryLength, keyLength, lastToken);
        };
    }

    /// <summary>
    /// Runs the LM on a whole embedding sequence from an empty cache and returns logits [rows, length, width].
    /// The reference for KV-cache parity: incremental decoding must give the same last-position logits.
    /// </summary>
    internal float[] RecomputeLogits(float[] embeds, int rows, int length, CancellationToken cancellationToken = default)
    {
        var mask = new long[rows * length];
        Array.Fill(mask, 1L);
        using var call = new OrtCall(_bundle.Ledger)
            .Input("inputs_embeds", embeds, rows, length, _info.HiddenSize)
            .Input("attention_mask", mask, rows, length);
        if (_info.HasPositionIds)
        {
            var positions = new long[rows * length];
            for (var i = 0; i < positions.Length; i++)
            {
                positions[i] = i % length;
            }

            call.Input("position_ids", positions, rows, length);
        }

        foreach (var name in _info.PastNames())
        {
            _ = _info.KvElementType == TensorElementType.Float16
                ? call.Input(name, Array.Empty<Float16>(), rows, _info.KvHeads, 0, _info.HeadDim)
                : call.Input(name, Array.Empty<float>(), rows, _info.KvHeads, 0, _info.HeadDim);
        }

        return call.Run(_target.Session, _target.Layout.OutputNames, "language_model", cancellationToken)[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Rewinds the target cache (speculative rejection), and the test hook's record of what was fed with it.</summary>
    internal void RewindTarget(T3Sequence sequence, int validCount)
    {
        var excess = CachedPositions(_target, sequence) - validCount;
        RewindTo(_target, sequence, validCount);
        if (sequence.FedEmbeddings is { } fed)
        {
            var h = _info.HiddenSize;
            foreach (var row in fed)
            {
                row.RemoveRange(row.Count - (excess * h), excess * h);
            }
        }
    }

    /// <summary>
    /// The scores to sample from at one position of a [position, row, width] logits buffer: row 0, combined with the
    /// unconditional row 1 when the sequence uses guidance. Written into the sequence's scratch row.
    /// </summary>
    internal Span<float> GuidedScores(T3Sequence sequence, float[] logits, int position)
    {
        var width = _info.LogitsWidth;
        var scores = sequence.Scratch(width);
        var at = position * sequence.LogitRows * width;
        logits.AsSpan(at, width).CopyTo(scores);
        if (sequence.HostGuidance)
        {
            TokenSampler.ApplyClassifierFreeGuidance(scores, logits.AsSpan(at + width, width), sequence.Sampling.CfgWeight);
        }

        return scores;
    }

    /// <summary>Hides a sequence's newest cache positions on one model so that <paramref name="validCount"/> remain (speculative rejection).</summary>
    internal static void RewindTo(LanguageModelRunner model, T3Sequence sequence, int validCount) => KvBatch.RewindTo(model.Layout, sequence, validCount);

    /// <summary>Positions a sequence's cache on one model holds.</summary>
    internal static int CachedPositions(LanguageModelRunner model, T3Sequence sequence) => KvBatch.ValidCountOf(model.Layout, sequence);

    /// <summary>Bytes the caches of these sequences hold (each batch counted once); 0 for sequences without one.</summary>
    internal static long CacheBytes(IEnumerable<T3Sequence> sequences) => KvBatch.BytesOf(sequences);

    private float[] PrefillEmbeddings(T3Sequence sequence, CancellationToken cancellationToken)
    {
        var ids = sequence.Text.Ids;
        // Turbo: the template's two trailing 50256 are the speech start; the graph knows them by position.
        var text = _turbo
            ? EmbedIds(ids, 1, ids.Length, cancellationToken)
            : Embed(ids, PrefillPositions(ids), [sequence.Sampling.Exaggeration], 1, ids.Length, cancellationToken);

        var voice = sequence.Voice;
        var combined = new float[voice.AudioFeatures.Length + text.Length];
        voice.AudioFeatures.CopyTo(combined, 0);
        text.CopyTo(combined, voice.AudioFeatures.Length);
        return combined;
    }

    /// <summary>
    /// The v2 prefill rows: the ids embedded as a batch of two (the graph zeroes row 1's text span), each after the
    /// voice's conditioning.
    /// </summary>
    private (float[] Conditional, float[] Unconditional) PairedPrefillEmbeddings(T3Sequence sequence, CancellationToken cancellationToken)
    {
        var ids = sequence.Text.Ids;
        var positions = PrefillPositions(ids);
        var text = Embed([.. ids, .. ids], [.. positions, .. positions], [sequence.Sampling.Exaggeration], 2, ids.Length, cancellationToken);
        var features = sequence.Voice.AudioFeatures;
        var half = text.Length / 2;
        var conditional = new float[features.Length + half];
        var unconditional = new float[features.Length + half];
        features.CopyTo(conditional, 0);
        features.CopyTo(unconditional, 0);
        text.AsSpan(0, half).CopyTo(conditional.AsSpan(features.Length));
        text.AsSpan(half).CopyTo(unconditional.AsSpan(features.Length));
        return (conditional, unconditional);
    }

    private static long[] PrefillPositions(long[] ids)
    {
        var positions = new long[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            positions[i] = ids[i] >= ChatterboxConstants.StartOfSpeech ? 0 : i - 1;
        }

        return positions;
    }

    /// <summary>[batch, length, hidden] embeddings as f32 (the v2 graph's f16 widened exactly).</summary>
    private float[] Embed(long[] ids, long[] positions, float[] exaggeration, int batch, int length, CancellationToken cancellationToken)
    {
        using var call = new OrtCall(_bundle.Ledger)
            .Input("input_ids", ids, batch, length)
            .Input("position_ids", positions, batch, length)
            .Input("exaggeration", exaggeration, exaggeration.Length);
        var output = call.Run(_bundle.EmbedTokens, EmbedOutputNames, "embed_tokens", cancellationToken)[0];
        if (_info.ActivationElementType != TensorElementType.Float16)
        {
            return output.GetTensorDataAsSpan<float>().ToArray();
        }

        var half = output.GetTensorDataAsSpan<Float16>();
        var widened = new float[half.Length];
        for (var i = 0; i < half.Length; i++)
        {
            widened[i] = (float)half[i];
        }

        return widened;
    }

    /// <summary>The Turbo embed: <c>input_ids</c> [batch, length] only, no positions or exaggeration.</summary>
    private float[] EmbedIds(long[] ids, int batch, int length, CancellationToken cancellationToken)
    {
        using var call = new OrtCall(_bundle.Ledger).Input("input_ids", ids, batch, length);
        return call.Run(_bundle.EmbedTokens, EmbedOutputNames, "embed_tokens", cancellationToken)[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Copies each sequence's rows' last-position logits out of a [rows, length, width] output.</summary>
    private void KeepLastLogits(IReadOnlyList<T3Sequence> sequences, ReadOnlySpan<float> logits, int length)
    {
        var width = _info.LogitsWidth;
        var row = 0;
        foreach (var sequence in sequences)
        {
            var rows = sequence.LogitRows;
            var last = sequence.LastLogits is { } kept && kept.Length == rows * width ? kept : new float[rows * width];
            for (var r = 0; r < rows; r++, row++)
            {
                logits.Slice(((row * length) + length - 1) * width, width).CopyTo(last.AsSpan(r * width, width));
            }

            sequence.LastLogits = last;
        }
    }

    /// <summary>
    /// Copies the logits of each sequence's own fed positions (right-aligned in the call's columns) out of a
    /// [rows, length, width] output, as [position, row, width].
    /// </summary>
    private void KeepAllLogits(IReadOnlyList<T3Sequence> sequences, IReadOnlyList<long[]> tokens, ReadOnlySpan<float> logits, int length)
    {
        var width = _info.LogitsWidth;
        var row = 0;
        for (var i = 0; i < sequences.Count; i++)
        {
            var sequence = sequences[i];
            var own = tokens[i].Length;
            var size = own * sequence.Rows * width;
            var all = sequence.PositionLogits is { } kept && kept.Length >= size ? kept : new float[Math.Max(size, sequence.PositionLogits?.Length ?? 0)];
            for (var r = 0; r < sequence.Rows; r++, row++)
            {
                for (var c = 0; c < own; c++)
                {
                    logits.Slice(((row * length) + (length - own) + c) * width, width).CopyTo(all.AsSpan(((c * sequence.Rows) + r) * width, width));
                }
            }

            sequence.PositionLogits = all;
        }
    }

    /// <summary>Test hook: keeps the embeddings fed to the target, per row, for recomputation.</summary>
    private void RecordFed(IReadOnlyList<T3Sequence> sequences, IReadOnlyList<long[]> tokens, float[] tokenEmbeds, int length)
    {
        var h = _info.HiddenSize;
        for (var i = 0; i < sequences.Count; i++)
        {
            if (sequences[i].FedEmbeddings is not { } fed)
            {
                continue;
            }

            var pad = length - tokens[i].Length;
            foreach (var row in fed)
            {
                row.AddRange(tokenEmbeds.AsSpan(((i * length) + pad) * h, tokens[i].Length * h));
            }
        }
    }

    private void SampleAll(IReadOnlyList<T3Sequence> sequences)
    {
        var width = _info.LogitsWidth;
        foreach (var sequence in sequences)
        {
            var scores = GuidedScores(sequence, sequence.LastLogits!, 0);
            var decision = sequence.PendingAlignment;
            sequence.PendingAlignment = null;
            if (decision is not null)
            {
                // Contract 6.1 step 2: after CFG, before the repetition penalty (which the sampler applies).
                AlignmentStreamAnalyzer.ApplyToLogits(scores, decision);
            }

            sequence.Accept(sequence.Sampler.Sample(scores, sequence.HistorySpan));
            if (decision is not null)
            {
                sequence.Observe(decision);
            }

            if (sequence.IsFinished)
            {
                KvBatch.Release(sequence);
            }
        }
    }
}
