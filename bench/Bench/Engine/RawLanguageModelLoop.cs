using Microsoft.ML.OnnxRuntime;
using Sawt.Inference;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;

namespace Sawt.Bench.Engine;

/// <summary>
/// The floor the engine's decode step is measured against: a bare ONNX Runtime loop on a bundle's own
/// <c>language_model</c> session (so the same graph, provider and session options as Sawt's <c>SessionFactory</c>).
/// A prefill of seeded random embeddings [rows, prefill, hidden] from empty pasts, then per step one random embedding
/// row per LM row, an all-ones <c>attention_mask</c> one column longer each step, and the previous run's
/// <c>present.L.key/value</c> values bound as <c>past_key_values.L.key/value</c> by name (contract 2.3). Nothing else:
/// no <c>embed_tokens</c>, no sampling, no host copies of the cache (outputs stay where the provider put them, bound
/// to its device through an <see cref="OrtIoBinding"/>). Not thread-safe; one loop per bench thread.
/// </summary>
internal sealed class RawLanguageModelLoop : IDisposable
{
    private const string PastPrefix = "past_key_values.";
    private const string PresentPrefix = "present.";

    private readonly InferenceSession _session;
    private readonly int _rows;
    private readonly int _prefillLength;
    private readonly int _hidden;
    private readonly string[] _pastNames;
    private readonly string[] _outputNames;

    /// <summary>For each past input, the index in <see cref="_outputNames"/> of the present that feeds it (matched by name).</summary>
    private readonly int[] _presentIndexForPast;
    private readonly int _firstPresentIndex;
    private readonly OrtIoBinding _binding;
    private readonly OrtMemoryInfo _outputMemory;
    private readonly bool _outputsOnHost;
    private readonly OrtValue[] _emptyPasts;

    // Pinned for the loop's lifetime: the binding keeps pointing at them between runs.
    private readonly float[] _prefillEmbeds;
    private readonly float[] _stepEmbeds;
    private readonly long[] _ones;
    private readonly OrtValue _prefillEmbedsValue;
    private readonly OrtValue _stepEmbedsValue;
    private IDisposableReadOnlyCollection<OrtValue>? _last;

    /// <param name="bundle">The loaded bundle whose language-model session is run (not owned).</param>
    /// <param name="rows">LM rows per call (two per sequence with CFG).</param>
    /// <param name="prefillLength">Positions of the prefill call.</param>
    /// <param name="maxSteps">Decode steps after a prefill at most (sizes the attention mask buffer).</param>
    /// <param name="seed">Seed of the random embeddings.</param>
    public RawLanguageModelLoop(ModelBundle bundle, int rows, int prefillLength, int maxSteps, ulong seed)
        : this(bundle, rows, prefillLength, maxSteps, RandomEmbeddings(seed, rows, prefillLength, bundle.HiddenSize))
    {
    }

    /// <summary>With given embeddings: <paramref name="embeddings"/> holds the prefill [rows, prefillLength, hidden] then the step rows [rows, 1, hidden].</summary>
    internal RawLanguageModelLoop(ModelBundle bundle, int rows, int prefillLength, int maxSteps, float[] embeddings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(prefillLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSteps);
        var info = bundle.LanguageModelInfo;
        _session = bundle.LanguageModel;
        _rows = rows;
        _prefillLength = prefillLength;
        _hidden = info.HiddenSize;
        var prefillCount = rows * prefillLength * _hidden;
        ArgumentOutOfRangeException.ThrowIfNotEqual(embeddings.Length, prefillCount + (rows * _hidden), nameof(embeddings));
        _pastNames = [.. info.PastNames()];
        _outputNames = ["logits", .. info.PresentNames()];
        _presentIndexForPast = [.. _pastNames.Select(p => Array.IndexOf(_outputNames, PresentPrefix + p[PastPrefix.Length..]))];
        _firstPresentIndex = Array.IndexOf(_outputNames, "present.0.key");
        _outputsOnHost = bundle.Provider.Kind != ExecutionProviderKind.Cuda;
        _outputMemory = _outputsOnHost
            ? OrtMemoryInfo.DefaultInstance
            : new OrtMemoryInfo("Cuda", OrtAllocatorType.DeviceAllocator, bundle.Provider.DeviceId, OrtMemType.Default);

        _prefillEmbeds = GC.AllocateArray<float>(prefillCount, pinned: true);
        _stepEmbeds = GC.AllocateArray<float>(rows * _hidden, pinned: true);
        embeddings.AsSpan(0, prefillCount).CopyTo(_prefillEmbeds);
        embeddings.AsSpan(prefillCount).CopyTo(_stepEmbeds);
        _ones = GC.AllocateArray<long>(rows * (prefillLength + maxSteps), pinned: true);
        Array.Fill(_ones, 1L);
        _prefillEmbedsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _prefillEmbeds.AsMemory(), [rows, prefillLength, _hidden]);
        _stepEmbedsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _stepEmbeds.AsMemory(), [rows, 1, _hidden]);
        _emptyPasts = [.. _pastNames.Select(_ => OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, info.KvElementType, [rows, info.KvHeads, 0, info.HeadDim]))];
        _binding = _session.CreateIoBinding();
    }

    /// <summary>Cache length after the latest run: the time axis of <c>present.0.key</c> as the graph returned it; 0 before any run.</summary>
    public int PastLength { get; private set; }

    /// <summary>LM rows per call.</summary>
    public int Rows => _rows;

    /// <summary>Runs the prefill from empty pasts, dropping any earlier run's cache, so one loop serves repeated runs.</summary>
    public void Prefill(CancellationToken cancellationToken = default)
    {
        _last?.Dispose();
        _last = null;
        PastLength = 0;
        Run(_prefillEmbedsValue, _prefillLength, _emptyPasts, cancellationToken);
    }

    /// <summary>One decode position for every row, the previous run's presents fed back as pasts.</summary>
    public void Step(CancellationToken cancellationToken = default)
    {
        var last = _last ?? throw new InvalidOperationException("Prefill before stepping.");
        var pasts = new OrtValue[_pastNames.Length];
        for (var i = 0; i < pasts.Length; i++)
        {
            pasts[i] = last[_presentIndexForPast[i]];
        }

        Run(_stepEmbedsValue, 1, pasts, cancellationToken);
    }

    /// <summary>Shape of every present output of the latest run, by name. For tests; reads metadata only.</summary>
    public IReadOnlyDictionary<string, long[]> PresentShapes()
    {
        var last = _last ?? throw new InvalidOperationException("Nothing has run yet.");
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        for (var i = 0; i < _outputNames.Length; i++)
        {
            if (_outputNames[i].StartsWith(PresentPrefix, StringComparison.Ordinal))
            {
                shapes[_outputNames[i]] = last[i].GetTensorTypeAndShape().Shape;
            }
        }

        return shapes;
    }

    /// <summary>Last-position logits of every row of the latest run, [rows, width] row-major. For tests; outputs must be on the host (CPU provider).</summary>
    public float[] LastPositionLogits()
    {
        var last = _last ?? throw new InvalidOperationException("Nothing has run yet.");
        if (!_outputsOnHost)
        {
            throw new InvalidOperationException("The logits are on the device; read them only on the CPU provider.");
        }

        var shape = last[0].GetTensorTypeAndShape().Shape;
        var (length, width) = ((int)shape[1], (int)shape[2]);
        var all = last[0].GetTensorDataAsSpan<float>();
        var result = new float[_rows * width];
        for (var r = 0; r < _rows; r++)
        {
            all.Slice(((r * length) + length - 1) * width, width).CopyTo(result.AsSpan(r * width, width));
        }

        return result;
    }

    public void Dispose()
    {
        _last?.Dispose();
        _last = null;
        _binding.Dispose();
        foreach (var empty in _emptyPasts)
        {
            empty.Dispose();
        }

        _prefillEmbedsValue.Dispose();
        _stepEmbedsValue.Dispose();
        if (!ReferenceEquals(_outputMemory, OrtMemoryInfo.DefaultInstance))
        {
            _outputMemory.Dispose();
        }
    }

    private void Run(OrtValue embeds, int length, OrtValue[] pasts, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var total = PastLength + length;
        using var mask = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _ones.AsMemory(0, _rows * total), [_rows, total]);
        _binding.ClearBoundInputs();
        _binding.ClearBoundOutputs();
        _binding.BindInput("inputs_embeds", embeds);
        _binding.BindInput("attention_mask", mask);
        for (var i = 0; i < _pastNames.Length; i++)
        {
            _binding.BindInput(_pastNames[i], pasts[i]);
        }

        foreach (var name in _outputNames)
        {
            _binding.BindOutputToDevice(name, _outputMemory);
        }

        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        try
        {
            _session.RunWithBinding(runOptions, _binding);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InferenceException(InferenceErrorCode.RuntimeFailure, $"language_model (raw loop): ONNX Runtime failed: {ex.Message.Split('\n')[0]}", ex);
        }

        // The old presents were this run's pasts; ORT no longer needs them once the run returned.
        var outputs = _binding.GetOutputValues();
        _last?.Dispose();
        _last = outputs;
        PastLength = checked((int)outputs[_firstPresentIndex].GetTensorTypeAndShape().Shape[2]);
    }

    /// <summary>Small seeded values in [-0.5, 0.5): the LM's cost does not depend on them. Prefill rows, then step rows.</summary>
    private static float[] RandomEmbeddings(ulong seed, int rows, int prefillLength, int hidden)
    {
        var random = new DeterministicRandom(seed);
        var values = new float[rows * (prefillLength + 1) * hidden];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        return values;
    }
}
