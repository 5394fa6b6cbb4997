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

namespace Sawt.Grains.Workers;

/// <summary>
/// Serves one device's decoder. Decode calls run on the thread pool (never the grain scheduler), at most
/// <see cref="WorkerOptions.MaxConcurrentDecodes"/> at once; beyond the queue budget a call is refused with <c>busy</c>.
/// </summary>
[GpuWorkerPlacement]
[Immovable] // Owns its silo's device.
[KeepAlive] // Lives as long as its silo and device; idle collection would leave the device unserved.
[Reentrant] // Calls only await the thread-safe decoder; admission is the semaphore below.
internal sealed partial class DecoderWorkerGrain(WorkerEngines engines, SiloDrain drain, LocalVoiceCache voices, IOptions<WorkerOptions> options, WorkerInstruments instruments, GrainTracing tracing, TimeProvider time, ILocalSiloDetails silo, ILogger<DecoderWorkerGrain> logger) : Grain, IDecoderWorkerGrain, IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentDecodes, options.Value.MaxConcurrentDecodes);
    private TtsEngine? _engine;
    private IDisposable? _tracked;
    private string _device = string.Empty;
    private int _waiting;
    private int _running;
    private double _recentMs;
    private long _served;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        WorkerKeys.TryParse(this.GetPrimaryKeyString(), out _, out _device);
        await engines.Ready.WaitAsync(cancellationToken);
        _engine = engines.Get(_device);
        WorkerLoadPublisher.Start(this, GrainFactory, Snapshot);
        _tracked = instruments.TrackDecoder(_device, Snapshot);
        LogActivated(logger, this.GetPrimaryKeyString());
    }

    public Task<WorkerLoadReport> Activate() => Task.FromResult(Snapshot());

    public async Task<byte[]> Decode(DecodeJob job, CancellationToken cancellationToken = default)
    {
        // A child of the session's span through Orleans' activity propagation.
        using var span = tracing.Source.StartActivity(GrainTracing.DecodeSpan, ActivityKind.Internal);
        span?.SetTag(GrainTracing.WorkerTag, this.GetPrimaryKeyString());
        span?.SetTag(GrainTracing.TokensTag, job.Tokens.Length);
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
            var voice = await voices.GetAsync(job.VoiceId, job.VoiceRevision, engine, this.GetPrimaryKeyString());
            await _slots.WaitAsync(linked.Token);
            Interlocked.Increment(ref _running);
            Interlocked.Increment(ref _served);
            try
            {
                var started = time.GetTimestamp();
                var samples = await Task.Run(() => engine.Decoder.Decode(voice, job.Tokens, linked.Token), linked.Token);
                var elapsed = time.GetElapsedTime(started);
                _recentMs = (0.8 * _recentMs) + (0.2 * elapsed.TotalMilliseconds);
                instruments.Decoded(_device, elapsed);
                var bytes = new byte[samples.Length * sizeof(float)];
                Buffer.BlockCopy(samples, 0, bytes, 0, bytes.Length);
                return bytes;
            }
            finally
            {
                Interlocked.Decrement(ref _running);
                _slots.Release();
            }
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

    public void Dispose()
    {
        _tracked?.Dispose();
        _slots.Dispose();
    }

    private WorkerLoadReport Snapshot() => new(
        this.GetPrimaryKeyString(),
        WorkerKind.Decoder,
        Volatile.Read(ref _running),
        Math.Max(0, Volatile.Read(ref _waiting) - Volatile.Read(ref _running)),
        options.Value.MaxConcurrentDecodes,
        _recentMs,
        _engine is not null && !drain.IsDraining,
        time.GetUtcNow(),
        silo.SiloAddress.Endpoint.ToString(),
        Interlocked.Read(ref _served),
        _device,
        ManagedBytes: GC.GetTotalMemory(forceFullCollection: false),
        WorkingSetBytes: Environment.WorkingSet);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Decoder worker {Worker} active")]
    private static partial void LogActivated(ILogger logger, string worker);
}
