using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Generation;

/// <summary>
/// Continuous batching over one <see cref="T3BatchExecutor"/>: a dedicated thread owns every active
/// sequence, admits newcomers at step boundaries (batched prefill), advances all active sequences by
/// one token per LM call, publishes tokens to each sequence's bounded channel and drops finished or
/// cancelled ones. A failed step fails the sequences in it; the loop lives on.
/// </summary>
public sealed partial class T3Scheduler : ISpeechTokenGenerator, IAsyncDisposable, IDisposable
{
    private readonly IT3BatchExecutor _executor;
    private readonly T3SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Entry> _queue;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FirstChunkForecaster _forecaster;
    private int[] _activeProgress = [];
    private int _outstanding;
    private int _active;
    private long _kvBytes;
    private long _tokens;
    private long _draftTokens;
    private long _acceptedDraftTokens;
    private double _recentStepMs;

    // When the loop's latest model call (prefill or step) started, as a timestamp of _time.
    private long _lastCallAt;

    public T3Scheduler(T3BatchExecutor executor, T3SchedulerOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null)
        : this((IT3BatchExecutor)executor, options, timeProvider, logger)
    {
    }

    internal T3Scheduler(IT3BatchExecutor executor, T3SchedulerOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        _executor = executor;
        _options = options ?? new T3SchedulerOptions();
        _options.Validate();
        _forecaster = new FirstChunkForecaster(_options.MaxActiveSequences, _options.MaxPrefillBatch);
        _time = timeProvider ?? TimeProvider.System;
        _lastCallAt = _time.GetTimestamp();
        _logger = logger ?? NullLogger.Instance;
        _queue = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
        _thread = new Thread(Loop) { IsBackground = true, Name = "sawt-t3-scheduler" };

        // Without the creator's ExecutionContext: the loop serves every caller and must not inherit the span (or any
        // other async-local state) of whoever happened to load the engine.
        _thread.UnsafeStart();
    }

    public SchedulerLoad Load => new(
        Volatile.Read(ref _active),
        Math.Max(0, Volatile.Read(ref _outstanding) - Volatile.Read(ref _active)),
        _options.MaxActiveSequences,
        Volatile.Read(ref _recentStepMs),
        Interlocked.Read(ref _kvBytes),
        Interlocked.Read(ref _tokens),
        Interlocked.Read(ref _draftTokens),
        Interlocked.Read(ref _acceptedDraftTokens));

    /// <summary>
    /// Queues a sequence. Throws <see cref="InferenceException"/> <c>busy</c> (with a retry hint) when the
    /// queue is full, the KV budget is spent or the first chunk would miss its target (never for a
    /// <see cref="GenerationRequest.Continuation"/>), <c>shutting_down</c> after disposal, or the request's own
    /// validation error.
    /// </summary>
    public GenerationHandle Submit(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        if (_stopping.IsCancellationRequested)
        {
            throw new InferenceException(InferenceErrorCode.ShuttingDown, "The generation worker is shutting down.");
        }

        var sequence = _executor.CreateSequence(request);
        // Outstanding = queued + active; an entry leaves it only when it ends, so the bound is exact.
        var outstanding = Interlocked.Increment(ref _outstanding);
        var refusal = request.Continuation ? null
            : outstanding > _options.MaxQueuedSequences + _options.MaxActiveSequences
            ? Busy($"The generation worker is full ({_options.MaxActiveSequences} active, {_options.MaxQueuedSequences} queued)", QueueHint())
            : Refusal(outstanding - 1, request.FirstChunkTargetMilliseconds ?? _options.FirstChunkTargetMilliseconds);
        if (refusal is not null)
        {
            Interlocked.Decrement(ref _outstanding);
            throw refusal;
        }

        // The caller's span: the loop's batch spans link to it, so a request's trace shows the batches that served it.
        var requester = Activity.Current?.Context ?? default;
        var entry = new Entry(sequence, _time.GetTimestamp(), requester, cancellationToken, () =>
        {
            // Runs on the loop's thread (every end is decided there), which owns the batches.
            _executor.Release(sequence);
            Interlocked.Decrement(ref _outstanding);
        });
        entry.Registration = cancellationToken.Register(static state => ((Entry)state!).CancelRequested = true, entry);
        _queue.Writer.TryWrite(entry);
        _signal.Release();
        return new GenerationHandle(sequence, entry.Output.Reader, entry.Summary.Task);
    }

    /// <summary>
    /// The reason to refuse a sequence with <paramref name="ahead"/> others outstanding and a first-chunk target of
    /// <paramref name="firstChunkTarget"/> ms (null: none), or null to admit it.
    /// </summary>
    private InferenceException? Refusal(int ahead, double? firstChunkTarget)
    {
        if (_options.MaxKvCacheBytes is { } budget && Interlocked.Read(ref _kvBytes) >= budget)
        {
            return Busy($"The generation worker's KV cache budget is spent ({Interlocked.Read(ref _kvBytes)} of {budget} bytes)", QueueHint());
        }

        if (firstChunkTarget is not { } target)
        {
            return null;
        }

        // An idle worker whose last call is old admits whatever its forecast: its measurements were taken under a load
        // that has gone (a burst, other work on the machine), and only running something refreshes them. Without this,
        // inflated measurements refuse forever (seen on a loaded machine: a worker idle for minutes, every retry busy).
        if (ahead == 0 && _time.GetElapsedTime(Volatile.Read(ref _lastCallAt)) >= _options.IdleAdmitAfter)
        {
            return null;
        }

        var progress = Volatile.Read(ref _activeProgress);
        var forecast = _forecaster.Forecast(progress, Math.Max(0, ahead - progress.Length), _options.FirstChunkTokens);
        if (forecast is not { } expected || expected.TotalMilliseconds <= target)
        {
            return null;
        }

        // Roughly when the forecast will have come down to the target: the excess wait, within sane bounds.
        var hint = TimeSpan.FromMilliseconds(Math.Clamp(expected.TotalMilliseconds - target, 100, 10_000));
        return Busy($"The generation worker would produce this request's first audio in about {expected.TotalMilliseconds:F0} ms, beyond its {target:F0} ms target", hint);
    }

    private TimeSpan QueueHint() => TimeSpan.FromMilliseconds(Math.Clamp(Volatile.Read(ref _recentStepMs) * 50, 100, 5000));

    private static InferenceException Busy(string why, TimeSpan hint) =>
        new(InferenceErrorCode.Busy, $"{why}; retry in about {hint.TotalSeconds:F1} s.") { RetryAfter = hint };

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            _signal.Release();
        }

        await _stopped.Task.ConfigureAwait(false);
        _signal.Dispose();
        _stopping.Dispose();
    }

    public void Dispose()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
            _signal.Release();
        }

        // The loop thread notices the stop at its next step boundary; joining a dedicated thread is the point of owning it.
        _thread.Join();
        _signal.Dispose();
        _stopping.Dispose();
    }

    private void Loop()
    {
        var active = new List<Entry>();
        var stop = _stopping.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var newcomers = Admit(active.Count);
                if (newcomers.Count == 0 && active.Count == 0)
                {
                    _signal.Wait(stop);
                    continue;
                }

                if (newcomers.Count > 0)
                {
                    var prefillStarted = _time.GetTimestamp();
                    Run(newcomers, prefill: true, stop);
                    _forecaster.ObservePrefill(newcomers.Count, _time.GetElapsedTime(prefillStarted));
                    Volatile.Write(ref _lastCallAt, prefillStarted);
                    active.AddRange(newcomers.Where(e => !e.Done));
                }

                DropCancelled(active);
                if (active.Count > 0)
                {
                    var started = _time.GetTimestamp();
                    Run(active, prefill: false, stop);
                    var elapsed = _time.GetElapsedTime(started);
                    _forecaster.ObserveStep(active.Count, elapsed);
                    Volatile.Write(ref _recentStepMs, (0.8 * Volatile.Read(ref _recentStepMs)) + (0.2 * elapsed.TotalMilliseconds));
                    Volatile.Write(ref _lastCallAt, started);
                }

                active.RemoveAll(e => e.Done);
                Volatile.Write(ref _activeProgress, active.ConvertAll(e => e.Sequence.Tokens.Count).ToArray());
                // Cache bytes first: a reader that sees the new active count also sees the bytes that go with it.
                Interlocked.Exchange(ref _kvBytes, T3BatchExecutor.CacheBytes(active.Select(e => e.Sequence)));
                Volatile.Write(ref _active, active.Count);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutdown: fall through and end everything still running.
        }
        finally
        {
            var shutdown = new InferenceException(InferenceErrorCode.ShuttingDown, "The generation worker shut down before this sequence finished.");
            foreach (var entry in active)
            {
                entry.Fail(shutdown);
            }

            while (_queue.Reader.TryRead(out var pending))
            {
                pending.Fail(shutdown);
            }

            _stopped.TrySetResult();
        }
    }

    private List<Entry> Admit(int activeCount)
    {
        var newcomers = new List<Entry>();
        while (activeCount + newcomers.Count < _options.MaxActiveSequences && newcomers.Count < _options.MaxPrefillBatch && _queue.Reader.TryRead(out var entry))
        {
            if (entry.CancelRequested)
            {
                entry.Cancel();
                continue;
            }

            entry.AdmittedAt = _time.GetTimestamp();
            newcomers.Add(entry);
        }

        return newcomers;
    }

    private void Run(List<Entry> entries, bool prefill, CancellationToken stop)
    {
        var sequences = entries.ConvertAll(e => e.Sequence);
        using var span = StartStepSpan(entries, prefill);
        try
        {
            if (prefill)
            {
                _executor.Prefill(sequences, stop);
            }
            else
            {
                _executor.Step(sequences, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is InferenceException or OnnxRuntimeException or InvalidOperationException or ArgumentException)
        {
            LogStepFailed(_logger, ex, prefill ? "prefill" : "decode", entries.Count);
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            var failure = ex as InferenceException ?? new InferenceException(InferenceErrorCode.RuntimeFailure, $"Generation failed: {ex.Message}", ex);
            foreach (var entry in entries)
            {
                entry.Fail(failure);
            }

            return;
        }

        foreach (var entry in entries)
        {
            // Counted before the tokens are published, so whoever has read a sequence's tokens sees their counts.
            var (drafted, accepted) = entry.TakeSpeculation();
            Interlocked.Add(ref _draftTokens, drafted);
            Interlocked.Add(ref _acceptedDraftTokens, accepted);
            entry.Publish(_time, ref _tokens);
            if (entry.Done && entry.Sequence.StopReason is not (StopReason.None or StopReason.Cancelled))
            {
                _forecaster.ObserveLength(entry.Sequence.Tokens.Count);
            }

            if (entry.Sequence.IsFinished && entry.Sequence.Alignment is { } alignment
                && (entry.Sequence.StopReason is not (StopReason.EndOfSpeech or StopReason.Cancelled) || entry.Sequence.AlignmentWarnings != AlignmentWarnings.None))
            {
                // Lengths only, never the text: what the guard did is an operator's question about the model.
                LogAlignmentOutcome(_logger, entry.Sequence.StopReason, entry.Sequence.AlignmentWarnings, entry.Sequence.Tokens.Count, alignment.TextLength);
            }
        }
    }

    /// <summary>A span for one batched call, linked to the span of every request in the batch; null when nobody listens.</summary>
    private static Activity? StartStepSpan(List<Entry> entries, bool prefill)
    {
        if (!InferenceTelemetry.Source.HasListeners())
        {
            return null;
        }

        var links = new List<ActivityLink>(entries.Count);
        foreach (var entry in entries)
        {
            if (entry.Requester != default)
            {
                links.Add(new ActivityLink(entry.Requester));
            }
        }

        // A root of its own (the loop thread has no current span): one batch belongs to many traces, joined by links.
        var span = InferenceTelemetry.Source.StartActivity(
            prefill ? InferenceTelemetry.PrefillSpan : InferenceTelemetry.DecodeSpan,
            ActivityKind.Internal,
            parentContext: default,
            tags: null,
            links: links);
        span?.SetTag(InferenceTelemetry.BatchSizeTag, entries.Count);
        return span;
    }

    private static void DropCancelled(List<Entry> active)
    {
        foreach (var entry in active)
        {
            if (entry.CancelRequested && !entry.Done)
            {
                entry.Sequence.Cancel();
                entry.Cancel();
            }
        }

        active.RemoveAll(e => e.Done);
    }

    [LoggerMessage(EventId = 3031, Level = LogLevel.Information,
        Message = "Alignment guard: a sequence ended with {StopReason} (warnings {Warnings}) after {Tokens} speech tokens for {TextIds} text ids")]
    private static partial void LogAlignmentOutcome(ILogger logger, StopReason stopReason, AlignmentWarnings warnings, int tokens, int textIds);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Error, Message = "T3 {Phase} failed for a batch of {Count} sequences; they are failed, the loop continues")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string phase, int count);

    /// <summary>One sequence in the loop, with its output channel and summary.</summary>
    private sealed class Entry(T3Sequence sequence, long submittedAt, ActivityContext requester, CancellationToken cancellationToken, Action onDone)
    {
        private int _published;
        private int _countedDrafts;
        private int _countedAccepted;

        public T3Sequence Sequence { get; } = sequence;

        /// <summary>The span that submitted this sequence (default when none).</summary>
        public ActivityContext Requester { get; } = requester;

        /// <summary>Bounded by the step cap (one slot per possible token), so the loop never blocks on a slow reader.</summary>
        public Channel<long> Output { get; } = Channel.CreateBounded<long>(new BoundedChannelOptions(sequence.MaxSteps + 1 + sequence.ClosingTokens.Count) { SingleWriter = true });

        public TaskCompletionSource<GenerationSummary> Summary { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        public volatile bool CancelRequested;

        public long AdmittedAt { get; set; }

        public long FirstTokenAt { get; private set; }

        public bool Done { get; private set; }

        private void MarkDone()
        {
            if (!Done)
            {
                Done = true;
                onDone();
            }

            Registration.Dispose();
        }

        public void Publish(TimeProvider time, ref long tokenCounter)
        {
            var tokens = Sequence.Tokens;
            for (; _published < tokens.Count; _published++)
            {
                var token = tokens[_published];
                // Token by token, the rule Finalize applies to the whole run: what a handle reads is SpeechTokens().
                if (SpeechTokenPostProcessor.IsSpeechToken(token))
                {
                    if (FirstTokenAt == 0)
                    {
                        FirstTokenAt = time.GetTimestamp();
                    }

                    Output.Writer.TryWrite(token);
                    Interlocked.Increment(ref tokenCounter);
                }
            }

            if (Sequence.IsFinished)
            {
                // The layout's closing tokens (Turbo's silence) follow the last generated one, once, as the end of the stream.
                if (Sequence.StopReason != StopReason.Cancelled)
                {
                    foreach (var token in Sequence.ClosingTokens)
                    {
                        Output.Writer.TryWrite(token);
                    }
                }

                MarkDone();
                Output.Writer.TryComplete();
                var end = time.GetTimestamp();
                Summary.TrySetResult(new GenerationSummary(
                    Sequence.StopReason,
                    Sequence.SpeechTokens().Length,
                    time.GetElapsedTime(submittedAt, AdmittedAt),
                    FirstTokenAt == 0 ? TimeSpan.Zero : time.GetElapsedTime(submittedAt, FirstTokenAt),
                    time.GetElapsedTime(submittedAt, end))
                {
                    AlignmentWarnings = Sequence.AlignmentWarnings,
                });
            }
        }

        /// <summary>Draft tokens proposed and accepted since the last call (zero without speculative decoding).</summary>
        public (int Drafted, int Accepted) TakeSpeculation()
        {
            if (Sequence.Speculation is not { } speculation)
            {
                return (0, 0);
            }

            var delta = (speculation.Drafted - _countedDrafts, speculation.Accepted - _countedAccepted);
            _countedDrafts = speculation.Drafted;
            _countedAccepted = speculation.Accepted;
            return delta;
        }

        public void Cancel()
        {
            MarkDone();
            var cancelled = new OperationCanceledException(cancellationToken);
            Output.Writer.TryComplete(cancelled);
            Summary.TrySetCanceled(cancellationToken);
        }

        public void Fail(Exception error)
        {
            MarkDone();
            Output.Writer.TryComplete(error);
            Summary.TrySetException(error);
        }
    }
}
