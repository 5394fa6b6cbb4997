using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Runtime;
using Microsoft.Extensions.Options;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Workers;
using Sawt.Grains.Diagnostics;
using Sawt.Grains.Hosting;
using Sawt.Grains.Placement;
using Sawt.Grains.Voices;
using Sawt.Inference;
using Sawt.Inference.Decoding;

namespace Sawt.Grains.Workers;

/// <summary>
/// Serves one device's decoder. Chunks go to the engine's <see cref="Inference.Decoding.DecoderBatcher"/>, which
/// decodes chunks of equal shape from many sessions in one graph call off the grain scheduler, at most
/// <see cref="WorkerOptions.MaxConcurrentDecodes"/> calls at once; beyond the queue budget a call is refused with
/// <c>busy</c>. The job's quality tier picks among the loaded decoder variants, which the load reports list.
/// </summary>
[GpuWorkerPlacement]
[Immovable] // Owns its silo's device.
[KeepAlive] // Lives as long as its silo and device; idle collection would leave the device unserved.
[Reentrant] // Calls only await the thread-safe batcher; admission is the counter below.
internal sealed partial class DecoderWorkerGrain(WorkerEngines engines, SiloDrain drain, LocalVoiceCache voices, IOptions<WorkerOptions> options, WorkerInstruments instruments, GrainTracing tracing, TimeProvider time, ILocalSiloDetails silo, ILogger<DecoderWorkerGrain> logger) : Grain, IDecoderWorkerGrain, IDisposable
{
    private readonly FirstChunkCosts _firstChunks = new(time);
    private TtsEngine? _engine;
    private string[] _variants = [];
    private IDisposable? _tracked;
    private string _device = string.Empty;
    private int _waiting;
    private double _recentMs;
    private long _served;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        WorkerKeys.TryParse(this.GetPrimaryKeyString(), out _, out _device);
        await engines.Ready.WaitAsync(cancellationToken);
        _engine = engines.Get(_device);
        _variants = [.. _engine.Decoder.Variants.Select(v => v.ToString())];
        WorkerLoadPublisher.Start(this, GrainFactory, Snapshot);
        _tracked = instruments.TrackDecoder(_device, Snapshot);
        LogActivated(logger, this.GetPrimaryKeyString(), string.Join(", ", _variants));
    }

    public Task<WorkerLoadReport> Activate() => Task.FromResult(Snapshot());

    public async Task<byte[]> Decode(DecodeJob job, CancellationToken cancellationToken = default)
    {
        // A child of the session's span through Orleans' activity propagation.
        using var span = tracing.Source.StartActivity(GrainTracing.DecodeSpan, ActivityKind.Internal);
        span?.SetTag(GrainTracing.WorkerTag, this.GetPrimaryKeyString());
        span?.SetTag(GrainTracing.TokensTag, job.Tokens.Length);
        var arrived = time.GetTimestamp();
        if (Interlocked.Increment(ref _waiting) > options.Value.MaxQueuedDecodes + options.Value.MaxConcurrentDecodes)
        {
            Interlocked.Decrement(ref _waiting);
            throw new SessionRejectedException("busy", "The decoder worker is full; retry shortly.", retryable: true, retryAfterSeconds: 0.5);
        }

        // A running decode holds this silo's drain until it ends; one the drain outlives ends with shutting_down.
        using var lease = drain.Track();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drain.Expired);
        try
        {
            var engine = _engine!;
            var decoder = engine.Decoder.Select(DecoderQualityNames.Parse(job.Quality));
            span?.SetTag(GrainTracing.DecoderVariantTag, decoder.Variant);
            var voice = await voices.GetAsync(job.VoiceId, job.VoiceRevision, engine, this.GetPrimaryKeyString());
            Interlocked.Increment(ref _served);
            var started = time.GetTimestamp();
            var samples = await engine.DecoderBatcher.DecodeAsync(voice, job.Tokens, decoder, linked.Token);
            var elapsed = time.GetElapsedTime(started);
            _recentMs = (0.8 * _recentMs) + (0.2 * elapsed.TotalMilliseconds);
            instruments.Decoded(_device, decoder.Variant, elapsed);
            var bytes = new byte[samples.Length * sizeof(float)];
            Buffer.BlockCopy(samples, 0, bytes, 0, bytes.Length);
            if (job.First)
            {
                _firstChunks.Observe(time.GetElapsedTime(arrived));
            }

            return bytes;
        }
        catch (InferenceException ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.WireCode);
            throw Rejections.From(ex);
        }
        catch (OperationCanceledException) when (drain.Expired.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw SiloDrain.ShuttingDown();
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    public void Dispose() => _tracked?.Dispose();

    private WorkerLoadReport Snapshot()
    {
        // Chunks in a running graph call are active; the rest of the admitted ones wait (for a voice, a batch or a slot).
        var running = _engine?.DecoderBatcher.Load.RunningRows ?? 0;
        return Report(running, Math.Max(0, Volatile.Read(ref _waiting) - running));
    }

    private WorkerLoadReport Report(int running, int queued) => new(
        this.GetPrimaryKeyString(),
        WorkerKind.Decoder,
        running,
        queued,
        options.Value.MaxConcurrentDecodes,
        _recentMs,
        _engine is not null && !drain.IsDraining,
        time.GetUtcNow(),
        silo.SiloAddress.Endpoint.ToString(),
        Interlocked.Read(ref _served),
        _device,
        ManagedBytes: GC.GetTotalMemory(forceFullCollection: false),
        WorkingSetBytes: Environment.WorkingSet,
        DecoderVariants: _variants,
        FirstChunkMilliseconds: _firstChunks.EstimateMilliseconds());

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Decoder worker {Worker} active, serving decoder variants {Variants}")]
    private static partial void LogActivated(ILogger logger, string worker, string variants);
}
