using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sawt.Contracts.Workers;
using Sawt.Grains.Hosting;
using Sawt.Inference.Generation;

namespace Sawt.Grains.Workers;

/// <summary>
/// This silo's workers and memory, on the <see cref="MeterName"/> meter, read when scraped (nothing is counted on the
/// hot path twice). Prometheus names: <c>sawt_worker_batch_size{device,kind}</c>, <c>sawt_worker_queue_depth{device,kind}</c>,
/// <c>sawt_worker_tokens_total{device}</c>, <c>sawt_worker_speculative_draft_tokens_total{device}</c>,
/// <c>sawt_worker_speculative_accepted_tokens_total{device}</c>, <c>sawt_worker_kv_cache_bytes{device}</c>,
/// <c>sawt_worker_native_values{device}</c>, <c>sawt_worker_decode_duration_seconds{device,variant}</c>,
/// <c>sawt_process_memory_managed_bytes</c>, <c>sawt_process_memory_native_bytes</c>.
/// </summary>
public sealed class WorkerInstruments
{
    public const string MeterName = "Sawt.Workers";
    public const string BatchSize = "sawt.worker.batch_size";
    public const string QueueDepth = "sawt.worker.queue_depth";
    public const string Tokens = "sawt.worker.tokens";
    public const string DraftTokens = "sawt.worker.speculative.draft_tokens";
    public const string AcceptedTokens = "sawt.worker.speculative.accepted_tokens";
    public const string KvCacheSize = "sawt.worker.kv_cache";
    public const string NativeValues = "sawt.worker.native_values";
    public const string DecodeDuration = "sawt.worker.decode.duration";
    public const string ManagedMemory = "sawt.process.memory.managed";
    public const string NativeMemory = "sawt.process.memory.native";

    /// <summary>Kind tag values.</summary>
    public const string T3Kind = "t3";
    public const string DecoderKind = "decoder";

    private static readonly double[] DecodeBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5];

    private readonly WorkerEngines _engines;
    private readonly ConcurrentDictionary<string, Func<WorkerLoadReport>> _decoders = new(StringComparer.Ordinal);
    private readonly Histogram<double> _decodeDuration;

    public WorkerInstruments(IMeterFactory meters, WorkerEngines engines)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _engines = engines;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge<int>(BatchSize, ObserveBatchSizes, "{sequence}", "Sequences in a worker's current batch (T3) or decodes running (decoder).");
        meter.CreateObservableGauge<int>(QueueDepth, ObserveQueueDepths, "{sequence}", "Work waiting for a worker's batch.");
        meter.CreateObservableCounter<long>(Tokens, () => ObserveEngines(load => load.TokensGenerated), "{token}", "Speech tokens a T3 worker generated.");
        meter.CreateObservableCounter<long>(DraftTokens, () => ObserveEngines(load => load.DraftTokens), "{token}", "Draft tokens a T3 worker proposed (speculative decoding).");
        meter.CreateObservableCounter<long>(AcceptedTokens, () => ObserveEngines(load => load.AcceptedDraftTokens), "{token}", "Draft tokens the target model accepted (speculative decoding).");
        meter.CreateObservableGauge<long>(KvCacheSize, () => ObserveEngines(load => load.KvCacheBytes), "By", "Bytes of KV cache the active sequences of a T3 worker hold.");
        meter.CreateObservableGauge<long>(NativeValues, ObserveNativeValues, "{value}", "Native ONNX Runtime values a worker's engine holds alive.");
        meter.CreateObservableGauge<long>(ManagedMemory, () => GC.GetGCMemoryInfo().HeapSizeBytes, "By", "Managed heap of this process (all its workers).");
        meter.CreateObservableGauge<long>(NativeMemory, ObserveNativeMemory, "By", "Resident memory of this process outside the managed heap (ONNX Runtime, CUDA host buffers).");
        _decodeDuration = meter.CreateHistogram<double>(DecodeDuration, "s", "Time a decoder worker spent decoding one chunk.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DecodeBuckets });
    }

    /// <summary>Adds a decoder worker's load to the gauges until the returned value is disposed.</summary>
    internal IDisposable TrackDecoder(string device, Func<WorkerLoadReport> snapshot)
    {
        _decoders[device] = snapshot;
        return new Untrack(() => _decoders.TryRemove(device, out _));
    }

    internal void Decoded(string device, string variant, TimeSpan duration) =>
        _decodeDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("device", device), new KeyValuePair<string, object?>("variant", variant));

    private static KeyValuePair<string, object?> Device(string device) => new("device", device);

    private static KeyValuePair<string, object?> Kind(string kind) => new("kind", kind);

    private IEnumerable<Measurement<long>> ObserveEngines(Func<SchedulerLoad, long> value)
    {
        foreach (var (device, engine) in _engines.Loaded)
        {
            yield return new Measurement<long>(value(engine.CurrentLoad), Device(device));
        }
    }

    private IEnumerable<Measurement<long>> ObserveNativeValues()
    {
        foreach (var (device, engine) in _engines.Loaded)
        {
            yield return new Measurement<long>(engine.Bundle.Ledger.LiveValues, Device(device));
        }
    }

    private IEnumerable<Measurement<int>> ObserveBatchSizes()
    {
        foreach (var (device, engine) in _engines.Loaded)
        {
            yield return new Measurement<int>(engine.CurrentLoad.ActiveSequences, Device(device), Kind(T3Kind));
        }

        foreach (var (device, snapshot) in _decoders)
        {
            yield return new Measurement<int>(snapshot().Active, Device(device), Kind(DecoderKind));
        }
    }

    private IEnumerable<Measurement<int>> ObserveQueueDepths()
    {
        foreach (var (device, engine) in _engines.Loaded)
        {
            yield return new Measurement<int>(engine.CurrentLoad.QueuedSequences, Device(device), Kind(T3Kind));
        }

        foreach (var (device, snapshot) in _decoders)
        {
            yield return new Measurement<int>(snapshot().Queued, Device(device), Kind(DecoderKind));
        }
    }

    private static long ObserveNativeMemory()
    {
        // Approximate: what the process has resident beyond what the GC has committed.
        return Math.Max(0, Environment.WorkingSet - GC.GetGCMemoryInfo().TotalCommittedBytes);
    }

    private sealed class Untrack(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
