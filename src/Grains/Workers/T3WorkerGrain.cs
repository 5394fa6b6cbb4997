using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Runtime;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;
using Sawt.Grains.Diagnostics;
using Sawt.Grains.Hosting;
using Sawt.Grains.Placement;
using Sawt.Grains.Voices;
using Sawt.Inference;
using Sawt.Inference.Audio;
using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;

namespace Sawt.Grains.Workers;

/// <summary>
/// Serves one device's continuous-batching loop. The loop runs on its own thread inside the engine; this grain
/// only submits sequences and relays their tokens, so no GPU work touches the grain scheduler.
/// </summary>
[GpuWorkerPlacement]
[Immovable] // Owns its silo's device; moving it would strand the sessions.
[KeepAlive] // Lives as long as its silo and device; idle collection would leave the device unserved.
[Reentrant] // Every call only awaits the engine, which is thread-safe; serialising calls would serialise sessions.
internal sealed partial class T3WorkerGrain(WorkerEngines engines, SiloDrain drain, LocalVoiceCache voices, IOptions<WorkerOptions> options, VoiceInstruments voiceCounters, GrainTracing tracing, TimeProvider time, ILocalSiloDetails silo, ILogger<T3WorkerGrain> logger) : Grain, IT3WorkerGrain
{
    private readonly TokenRate _tokenRate = new(time);
    private TtsEngine? _engine;
    private string _device = string.Empty;
    private long _served;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        WorkerKeys.TryParse(this.GetPrimaryKeyString(), out _, out _device);
        await engines.Ready.WaitAsync(cancellationToken);
        _engine = engines.Get(_device);
        WorkerLoadPublisher.Start(this, GrainFactory, Snapshot);
        LogActivated(logger, this.GetPrimaryKeyString());
    }

    public Task<WorkerLoadReport> Activate() => Task.FromResult(Snapshot());

    public async IAsyncEnumerable<TokenBatch> Generate(T3Job job, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var engine = _engine!;

        // Current while the job is submitted, so the engine's batch spans link to it.
        using var span = StartSpan(job);
        // A running generation holds this silo's drain until it ends; one the drain outlives ends with shutting_down.
        using var lease = drain.Track();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drain.Expired);
        GenerationHandle handle;
        try
        {
            var voice = await voices.GetAsync(job.VoiceId, job.VoiceRevision, engine, this.GetPrimaryKeyString());
            var text = engine.Tokenizer.Encode(job.Text, job.Language);
            var request = new GenerationRequest(text, voice, SamplingMapper.ToOptions(job.Sampling))
            {
                Continuation = job.Continuation,
                // What the session's decoder takes of the first-audio target now is not the T3 worker's to spend.
                FirstChunkTargetMilliseconds = options.Value.FirstChunkTargetMilliseconds(job.FirstDecodeMilliseconds),
            };
            handle = engine.Generator.Submit(request, linked.Token);
            Interlocked.Increment(ref _served);
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

        if (job.ReportAdmission)
        {
            // Admitted (a refusal threw above): the session may now tell its client it started.
            yield return new TokenBatch([], null) { Admitted = true };
        }

        var batch = new List<long>();
        while (await WaitForTokens(handle, cancellationToken, linked.Token))
        {
            while (handle.Tokens.TryRead(out var token))
            {
                batch.Add(token);
            }

            yield return new TokenBatch([.. batch], null);
            batch.Clear();
        }

        var summary = await Completed(handle, cancellationToken);
        span?.SetTag(GrainTracing.TokensTag, summary.SpeechTokens);
        span?.SetTag(GrainTracing.OutcomeTag, summary.StopReason.ToString());
        yield return new TokenBatch([], summary.StopReason.ToString())
        {
            AlignmentWarnings = summary.AlignmentWarnings == AlignmentWarnings.None ? null : summary.AlignmentWarnings.ToString(),
        };
    }

    public async Task<VoiceConditionalsPayload> EncodeVoice(byte[] wav, CancellationToken cancellationToken = default)
    {
        try
        {
            // From the bytes: the engine checks the header (format, channels, length) before it decodes anything.
            var conditionals = await _engine!.EncodeVoiceAsync(wav, cancellationToken);
            return conditionals.ToPayload();
        }
        catch (InferenceException ex)
        {
            throw Rejections.From(ex);
        }
    }

    public Task<string> GetBundleIdentity() => Task.FromResult(_engine!.Bundle.Identity);

    public Task<VoiceStoreStats> GetVoiceStoreStats() => Task.FromResult(voiceCounters.Snapshot(silo.SiloAddress.Endpoint.ToString()));

    public Task ForgetVoice(string voiceKey, string? keepRevision)
    {
        voices.Forget(voiceKey, keepRevision);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The span of one generation, a child of the session's span named in the job: Orleans traces the calls that
    /// enumerate a grain's stream on its runtime source, which hosts leave off (it would trace every stream poll).
    /// </summary>
    private Activity? StartSpan(T3Job job)
    {
        ActivityContext.TryParse(job.TraceParent, traceState: null, isRemote: true, out var parent);
        var span = tracing.Source.StartActivity(GrainTracing.T3Span, ActivityKind.Server, parent);
        span?.SetTag(GrainTracing.WorkerTag, this.GetPrimaryKeyString());
        return span;
    }


    /// <param name="handle">The generation.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <param name="linked">The caller's token or the drain's expiry: only the latter is <c>shutting_down</c>.</param>
    private async Task<bool> WaitForTokens(GenerationHandle handle, CancellationToken cancellationToken, CancellationToken linked)
    {
        try
        {
            return await handle.Tokens.WaitToReadAsync(linked);
        }
        catch (InferenceException ex)
        {
            throw Rejections.From(ex);
        }
        catch (OperationCanceledException) when (drain.Expired.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw SiloDrain.ShuttingDown();
        }
    }

    /// <summary>The generation's summary; one the drain cancelled is <c>shutting_down</c>, not a normal end.</summary>
    private async Task<GenerationSummary> Completed(GenerationHandle handle, CancellationToken cancellationToken)
    {
        try
        {
            var summary = await handle.Completion;
            if (drain.Expired.IsCancellationRequested && !cancellationToken.IsCancellationRequested && summary.StopReason == StopReason.Cancelled)
            {
                throw SiloDrain.ShuttingDown();
            }

            return summary;
        }
        catch (InferenceException ex)
        {
            throw Rejections.From(ex);
        }
        catch (OperationCanceledException) when (drain.Expired.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw SiloDrain.ShuttingDown();
        }
    }

    private WorkerLoadReport Snapshot()
    {
        var load = _engine?.CurrentLoad;
        return new WorkerLoadReport(
            this.GetPrimaryKeyString(),
            WorkerKind.T3,
            load?.ActiveSequences ?? 0,
            load?.QueuedSequences ?? 0,
            load?.MaxActiveSequences ?? 0,
            load?.RecentStepMilliseconds ?? 0,
            _engine is not null && !drain.IsDraining,
            time.GetUtcNow(),
            silo.SiloAddress.Endpoint.ToString(),
            Interlocked.Read(ref _served),
            _device,
            _tokenRate.Observe(load?.TokensGenerated ?? 0),
            load?.KvCacheBytes ?? 0,
            GC.GetTotalMemory(forceFullCollection: false),
            Environment.WorkingSet);
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "T3 worker {Worker} active")]
    private static partial void LogActivated(ILogger logger, string worker);
}
