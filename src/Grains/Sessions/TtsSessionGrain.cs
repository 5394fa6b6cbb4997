using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Sawt.Contracts;
using Sawt.Contracts.Operations;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;
using Sawt.Grains.Diagnostics;
using Sawt.Grains.Hosting;
using Sawt.Grains.Placement;
using Sawt.Inference;
using Sawt.Inference.Audio.Formats;
using Sawt.Inference.Decoding;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;
using Sawt.Inference.Text;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Grains.Sessions;

/// <summary>
/// Runs one synthesis context: validates, picks a T3 and a decoder worker by load, feeds text segments in order to
/// an <see cref="UtterancePipeline"/> whose tokens come from the T3 worker and whose chunks the decoder worker
/// decodes, encodes every chunk and publishes it with its sequence number on the session's stream, then
/// <see cref="SessionCompleted"/> or <see cref="SessionFailed"/> — never a silent end. Holds no
/// heavy state; the generation loop runs as a background task on this activation.
/// </summary>
[SessionPlacement] // Not on a draining silo: it waits for its running sessions, and new ones would be cut at its drain timeout.
internal sealed partial class TtsSessionGrain(
    IOptions<SessionLimits> limits,
    SessionInstruments instruments,
    GrainTracing tracing,
    SiloDrain drain,
    TimeProvider time,
    ILogger<TtsSessionGrain> logger) : Grain, ITtsSessionGrain
{
    private readonly TimeProvider _time = time;
    private readonly SessionInstruments _instruments = instruments;
    private readonly Channel<SpeechSegment> _segments = Channel.CreateUnbounded<SpeechSegment>();
    private IAsyncStream<SessionEvent>? _stream;
    private IncrementalTextBuffer? _buffer;
    private CancellationTokenSource? _cancel;
    private SessionStart? _start;
    private long _startedAt;
    private int _textChars;
    private long _lastInputAt;
    private bool _cancelRequested;

    // Set once OnDeactivateAsync told the client: the run's own final event would be a second one.
    private bool _abandoned;

    public async Task Start(SessionStart start)
    {
        if (_start is not null)
        {
            throw new SessionRejectedException("already_started", "This session has already started.", retryable: false);
        }

        var plan = Validate(start);

        // A whole text is cut into sentences now, so a request that could never fit is refused before any work.
        var segments = start.Incremental ? [] : new TextSegmenter().Segment(start.Text, plan.Language);
        CheckPausesFit(segments.Count, plan.Streaming.SentencePauseMilliseconds);

        // The revision is pinned now, so every sentence of this session asks the workers for the same voice. The
        // voice is looked up in the caller's tenant only, and the workers get its tenant-scoped key: another
        // tenant's voice of the same id is unknown here, as if it did not exist.
        var voiceKey = VoiceKeys.Speaker(start.Tenant, start.VoiceId);
        plan = plan with
        {
            VoiceId = voiceKey,
            VoiceRevision = await ResolveRevisionAsync(voiceKey, start.VoiceId)
                ?? throw new SessionRejectedException("unknown_voice", $"Voice '{start.VoiceId}' is not enrolled.", retryable: false),
        };

        var registry = GrainFactory.GetGrain<IWorkerRegistryGrain>(0);
        var t3 = await registry.Pick(WorkerKind.T3) ?? throw Rejections.NoWorkers("T3");
        var decoder = await registry.Pick(WorkerKind.Decoder) ?? throw Rejections.NoWorkers("decoder");

        _start = start;
        StartReplay(limits.Value);
        _startedAt = _time.GetTimestamp();
        _stream = this.GetStreamProvider(StreamNames.Provider).GetStream<SessionEvent>(StreamId.Create(StreamNames.SessionNamespace, this.GetPrimaryKey()));
        _cancel = new CancellationTokenSource();
        if (start.Deadline is { } deadline)
        {
            _cancel.CancelAfter(Clamp(deadline - _time.GetUtcNow()));
        }

        if (start.Incremental)
        {
            _buffer = new IncrementalTextBuffer(plan.Language);
            if (start.Text.Length > 0)
            {
                AddText(start.Text);
            }
        }
        else
        {
            foreach (var segment in segments)
            {
                _segments.Writer.TryWrite(segment);
            }

            _segments.Writer.TryComplete();
        }

        // The session span starts here, under the incoming Start call's span (the gateway's, through Orleans), and is
        // current for the whole run: the workers' spans are its children, the first sentence's included.
        var span = tracing.Source.StartActivity(GrainTracing.SessionSpan, ActivityKind.Internal);
        span?.SetTag(GrainTracing.SessionIdTag, this.GetPrimaryKey().ToString());
        var drained = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token, drain.Expired);
        var tokens = new T3TokenSource(
            new WorkerChoice<IT3WorkerGrain>(GrainFactory.GetGrain<IT3WorkerGrain>(t3.WorkerKey), WorkerKind.T3, GrainFactory, key => GrainFactory.GetGrain<IT3WorkerGrain>(key)),
            plan.Language, plan.VoiceId, plan.VoiceRevision, plan.Sampling, span?.Id, decoder.FirstChunkMilliseconds);
        await AdmitFirstSentence(tokens, span, drained);

        await Publish(new SessionStarted(t3.WorkerKey, decoder.WorkerKey));
        LogStarted(logger, this.GetPrimaryKey(), start.Text.Length, plan.Language, decoder.WorkerKey, t3.WorkerKey);
        // The generation loop runs between requests, so to Orleans the session looks idle while it speaks: keep it
        // until the loop ends, or an idle collection would cut the utterance off.
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        _lastInputAt = _time.GetTimestamp();

        // Held until the final event is published, so a draining silo waits for this utterance or ends it audibly.
        var lease = drain.Track();
        WatchLease(start.Lease, _cancel);
        _ = Run(plan, tokens, decoder.WorkerKey, span, drained, lease, _cancel.Token);
    }

    /// <summary>
    /// Asks the T3 worker to admit the first sentence when one is known now (a whole text, or incremental text that
    /// already holds a sentence), so that a refusal (<c>busy</c>, with its retry hint) is Start's answer: the client
    /// never hears <c>started</c> for a context the cluster cannot serve in time. A session refused here ends; nothing
    /// of it runs or is published. Incremental text without a whole sentence yet is admitted when its first arrives.
    /// </summary>
    private async Task AdmitFirstSentence(T3TokenSource tokens, Activity? span, CancellationTokenSource drained)
    {
        if (!_segments.Reader.TryPeek(out var first))
        {
            return;
        }

        try
        {
            await tokens.AdmitFirstAsync(first, drained.Token);
        }
        catch (Exception ex)
        {
            var refusal = ex switch
            {
                SessionRejectedException rejected => rejected,
                OperationCanceledException when drain.Expired.IsCancellationRequested => SiloDrain.ShuttingDown(),
                OperationCanceledException => new SessionRejectedException("deadline_exceeded", "The session did not finish before its deadline.", retryable: false),
                _ => null,
            };
            var code = refusal?.Code ?? "internal_error";
            span?.SetTag(GrainTracing.OutcomeTag, code);
            span?.SetStatus(ActivityStatusCode.Error, code);
            span?.Dispose();
            drained.Dispose();
            _cancel?.Dispose();
            _cancel = null; // nothing for a deactivation to tell: Start's answer is the client's
            RecordOutcome(new SessionOutcome(null, code));
            DeactivateOnIdle();
            if (refusal is null || ReferenceEquals(refusal, ex))
            {
                throw;
            }

            throw refusal;
        }
    }

    /// <summary>
    /// Deactivated while still speaking (its silo stopped beyond the drain, or the cluster dropped this activation): the
    /// client hears a retryable <c>shutting_down</c> now instead of silence; the run is cancelled and publishes nothing more.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_cancel is { } cancel && _stream is not null && !_abandoned)
        {
            LogDeactivatedWhileSpeaking(logger, this.GetPrimaryKey(), reason.Description);
            var error = SiloDrain.ShuttingDown();
            await PublishQuietly(new SessionFailed(error.Code, error.Message, error.Retryable, error.RetryAfterSeconds));
            _abandoned = true;

            // The run may have ended during the publish, disposing its source (and clearing the field) on the way out.
            if (ReferenceEquals(_cancel, cancel))
            {
                await cancel.CancelAsync();
            }
        }

        StopLeaseWatch();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task AppendText(string text)
    {
        RequireIncremental();
        _lastInputAt = _time.GetTimestamp();
        AddText(text);
        return Task.CompletedTask;
    }

    public Task Flush()
    {
        RequireIncremental();
        _lastInputAt = _time.GetTimestamp();
        try
        {
            _buffer!.Flush();
        }
        catch (InferenceException ex)
        {
            throw Rejections.From(ex);
        }

        PublishReadySegments();
        return Task.CompletedTask;
    }

    public Task Complete()
    {
        RequireIncremental();
        if (!_buffer!.IsCompleted)
        {
            try
            {
                _buffer.Complete();
            }
            catch (InferenceException ex)
            {
                // E.g. the text ends in half a surrogate pair: the caller hears why, and the input stays open.
                throw Rejections.From(ex);
            }

            PublishReadySegments();
            _segments.Writer.TryComplete();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Answers on the stream, also after the run ended: the answer follows everything published before it on the same
    /// stream, and says how much that was, so a subscriber still probing hears those events first, or learns that the
    /// stream lost them and fetches them by replay.
    /// </summary>
    public Task Probe(long probe) => _start is null
        ? throw Lost()
        : Publish(new SessionProbed(probe, _replay?.Published ?? 0, _replay?.Terminal is not null));

    public async Task Cancel()
    {
        if (_cancel is { IsCancellationRequested: false } cancel)
        {
            _cancelRequested = true;
            await cancel.CancelAsync();
        }
    }

    private SessionPlan Validate(SessionStart start)
    {
        try
        {
            var language = SupportedLanguages.Normalize(start.Language);
            TextValidation.Validate(start.Text);
            if (!start.Incremental && string.IsNullOrWhiteSpace(start.Text))
            {
                throw new InferenceException(InferenceErrorCode.EmptyText, "The text is empty or contains only whitespace; there is nothing to speak.");
            }

            if (start.Text.Length > limits.Value.MaxTextChars)
            {
                throw new InferenceException(InferenceErrorCode.TextTooLong, $"The text is {start.Text.Length} characters long; a session takes at most {limits.Value.MaxTextChars}.");
            }

            return new SessionPlan(
                language,
                start.VoiceId,
                VoiceRevision: string.Empty,
                start.Sampling,
                SamplingMapper.ToOptions(start.Sampling),
                SamplingMapper.ToOptions(start.Chunking),
                AudioFormat.Parse(start.Output.Encoding, start.Output.SampleRate),
                // Checked here, so a bad tier is refused at start (invalid_options), not at the first chunk.
                DecoderQualityNames.Parse(start.Quality) == DecoderQuality.Balanced ? null : start.Quality);
        }
        catch (InferenceException ex)
        {
            throw Rejections.From(ex);
        }
    }

    /// <summary>Speaks the session; the drain lease is released only after its final event went out.</summary>
    private async Task Run(SessionPlan plan, T3TokenSource tokens, string decoderKey, Activity? span, CancellationTokenSource drained, IDisposable lease, CancellationToken sessionToken)
    {
        using (lease)
        using (span)
        using (drained)
        await using (tokens)
        {
            await Speak(plan, tokens, decoderKey, span, drained.Token, sessionToken);
        }
    }

    /// <param name="plan">The session's settings.</param>
    /// <param name="tokens">The T3 worker's tokens, the first sentence possibly admitted already.</param>
    /// <param name="decoderKey">The decoder worker picked at start.</param>
    /// <param name="span">The session span, current for the run.</param>
    /// <param name="cancellationToken">The session's token or its silo's drain expiry.</param>
    /// <param name="sessionToken">The session's own token (cancel, deadline): without it, the drain ended the run.</param>
    private async Task Speak(SessionPlan plan, T3TokenSource tokens, string decoderKey, Activity? span, CancellationToken cancellationToken, CancellationToken sessionToken)
    {
        _instruments.Started();
        var publisher = new ChunkPublisher(this, plan.Format);
        var pipeline = new UtterancePipeline(
            tokens,
            new DecoderWorkerChunkDecoder(
                new WorkerChoice<IDecoderWorkerGrain>(GrainFactory.GetGrain<IDecoderWorkerGrain>(decoderKey), WorkerKind.Decoder, GrainFactory, key => GrainFactory.GetGrain<IDecoderWorkerGrain>(key)),
                plan.VoiceId, plan.VoiceRevision, plan.Quality),
            new UtterancePipelineOptions
            {
                Streaming = plan.Streaming,
                TrimFinalToken = limits.Value.TrimFinalToken,
                ContinueOnCapturedContext = true, // the ports read this grain's state and call grains: stay on the activation
                Time = _time,
                CheckProjectedSamples = CheckAudioBudget,
            });
        // The operator view counts every ending: a failure's public code, or null for a completion or the client's cancel.
        string? outcomeCode = "internal_error";
        try
        {
            await foreach (var chunk in pipeline.RunAsync(new SessionSegments(this), cancellationToken))
            {
                await publisher.Publish(chunk);
            }

            // Counted before the client can hear of the end, so a scrape after 'done' includes this utterance.
            var stats = publisher.Stats();
            _instruments.Completed(_time.GetElapsedTime(_startedAt).TotalSeconds, stats.AudioSeconds, stats.SpeechTokens);
            span?.SetTag(GrainTracing.OutcomeTag, SessionInstruments.DoneOutcome);
            outcomeCode = null;
            await Publish(new SessionCompleted(stats));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !sessionToken.IsCancellationRequested)
        {
            // The silo's drain time ran out with this utterance unfinished: the client may retry it elsewhere.
            var error = SiloDrain.ShuttingDown();
            await PublishQuietly(new SessionFailed(error.Code, error.Message, error.Retryable, error.RetryAfterSeconds));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var failure = _cancelRequested
                ? new SessionFailed("cancelled", "The session was cancelled.", false, null)
                : _leaseLapsed
                    ? LeaseLapsedFailure()
                    : new SessionFailed("deadline_exceeded", "The session did not finish before its deadline.", false, null);
            CountFailure(span, failure.Code, cancelled: _cancelRequested);
            outcomeCode = _cancelRequested ? null : failure.Code;
            await PublishQuietly(failure);
        }
        catch (SessionRejectedException ex)
        {
            CountFailure(span, ex.Code, cancelled: false);
            outcomeCode = ex.Code;
            await PublishQuietly(new SessionFailed(ex.Code, ex.Message, ex.Retryable, ex.RetryAfterSeconds));
        }
        catch (Exception ex)
        {
            // Loop edge: whatever went wrong, the client hears an error instead of silence. That includes a cancellation
            // nobody here asked for (neither token above is cancelled): left uncaught, the run would end without a
            // final event and its client would wait for one that never comes.
            LogFailed(logger, ex, this.GetPrimaryKey());
            var failure = ex is InferenceException inference
                ? new SessionFailed(inference.WireCode, inference.Message, inference.IsRetryable, inference.RetryAfter?.TotalSeconds)
                : new SessionFailed("internal_error", $"The session failed inside the cluster; operators can find the cause logged under session {this.GetPrimaryKey()}.", true, null);
            CountFailure(span, failure.Code, cancelled: false);
            outcomeCode = failure.Code;
            await PublishQuietly(failure);
        }
        finally
        {
            _instruments.Ended();
            RecordOutcome(new SessionOutcome(publisher.FirstAudioMilliseconds, outcomeCode));
            publisher.Dispose();

            // The pipeline already dropped its generations; anything else started with the session's token stops now.
            _cancel?.Cancel();
            _cancel?.Dispose();
            _cancel = null;
            LeaveWhenSettled();
        }
    }

    private void CountFailure(Activity? span, string code, bool cancelled)
    {
        _instruments.Failed(code, cancelled);
        span?.SetTag(GrainTracing.OutcomeTag, cancelled ? SessionInstruments.CancelledOutcome : code);
        if (!cancelled)
        {
            span?.SetStatus(ActivityStatusCode.Error, code);
        }
    }

    private long MaxAudioSamples => (long)(limits.Value.MaxAudioSeconds * ChatterboxConstants.SampleRate);

    /// <summary>Refuses at start a text whose sentence pauses alone would exceed the audio limit.</summary>
    private void CheckPausesFit(int segments, double pauseMilliseconds)
    {
        var pauses = Math.Max(0, segments - 1) * pauseMilliseconds / 1000;
        if (pauses > limits.Value.MaxAudioSeconds)
        {
            throw AudioTooLong($"{segments} sentences with {pauseMilliseconds:0.#} ms pauses need {pauses:0.#} s of silence alone");
        }
    }

    /// <summary>Stops a session (before its audio is published) once its speech would exceed the audio limit.</summary>
    private void CheckAudioBudget(long projectedSamples)
    {
        if (projectedSamples > MaxAudioSamples)
        {
            throw AudioTooLong("the speech generated so far would go beyond it");
        }
    }

    private SessionRejectedException AudioTooLong(string why) =>
        new("audio_too_long", $"A session produces at most {limits.Value.MaxAudioSeconds:0.#} s of audio; {why}. Split the text into several requests.", retryable: false);

    /// <summary>
    /// Waits for the next segment. While the client still owes input (incremental, not ended), a silence longer than
    /// <see cref="SessionLimits.InputIdleTimeout"/> ends the session, so one whose client vanished does not wait forever.
    /// The silence counts from the later of the last input and the moment the session ran out of things to say.
    /// </summary>
    private async Task<bool> WaitForSegmentAsync(CancellationToken cancellationToken)
    {
        var waitingSince = _time.GetTimestamp();
        while (!IsInputComplete())
        {
            var left = limits.Value.InputIdleTimeout - _time.GetElapsedTime(Math.Max(_lastInputAt, waitingSince));
            if (left <= TimeSpan.Zero)
            {
                throw new SessionRejectedException(
                    "input_timeout",
                    $"No text, flush or end arrived for {limits.Value.InputIdleTimeout.TotalSeconds:0.#} s; the context was ended.",
                    retryable: false);
            }

            var ready = _segments.Reader.WaitToReadAsync(cancellationToken).AsTask();
            await ((Task)ready.WaitAsync(left, _time, cancellationToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            if (ready.IsCompleted)
            {
                return await ready;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        return await _segments.Reader.WaitToReadAsync(cancellationToken);
    }

    private bool IsInputComplete() => _buffer is null || _buffer.IsCompleted;

    private void AddText(string text)
    {
        _textChars += text.Length;
        if (_textChars > limits.Value.MaxTextChars)
        {
            throw new SessionRejectedException("text_too_long", $"A session takes at most {limits.Value.MaxTextChars} characters of text.", retryable: false);
        }

        try
        {
            _buffer!.Append(text);
        }
        catch (InferenceException ex)
        {
            throw Rejections.From(ex);
        }
        catch (InvalidOperationException)
        {
            throw new SessionRejectedException("input_completed", "Text arrived after the end of input.", retryable: false);
        }

        PublishReadySegments();
    }

    private void PublishReadySegments()
    {
        foreach (var segment in _buffer!.TakeReady())
        {
            _segments.Writer.TryWrite(segment);
        }
    }

    private void RequireIncremental()
    {
        if (_start is null)
        {
            // Callers only send input after Start succeeded, so this is a session the cluster lost (the silo that
            // held its activation or its directory entry left): retryable, the client starts it again.
            throw Lost();
        }

        if (_buffer is null)
        {
            throw new SessionRejectedException("not_incremental", "Text can only be added to sessions started with incremental input.", retryable: false);
        }
    }

    /// <summary>The error for a call to a session this activation never started: the cluster lost the one that was.</summary>
    private SessionRejectedException Lost()
    {
        // This activation was created by the call itself and holds nothing: let it go instead of waiting for collection.
        DeactivateOnIdle();
        return new SessionRejectedException("unavailable", "This session is no longer active in the cluster (a silo left before it finished); start the utterance again.", retryable: true, retryAfterSeconds: 1);
    }

    private Task Publish(SessionEvent sessionEvent) => _abandoned
        ? Task.CompletedTask
        : PublishOnStream(sessionEvent with { AtMilliseconds = _time.GetElapsedTime(_startedAt).TotalMilliseconds, PublishedAt = _time.GetUtcNow() });

    /// <summary>Tells the operator view how the session ended; one-way, so the session never waits on it.</summary>
    private void RecordOutcome(SessionOutcome outcome)
    {
        try
        {
            _ = GrainFactory.GetGrain<IClusterHealthGrain>(0).RecordSession(outcome);
        }
        catch (OrleansException ex)
        {
            LogOutcomeNotRecorded(logger, ex, this.GetPrimaryKey());
        }
    }

    private async Task PublishQuietly(SessionEvent sessionEvent)
    {
        try
        {
            await Publish(sessionEvent);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogPublishFailed(logger, ex, this.GetPrimaryKey());
        }
    }

    private static TimeSpan Clamp(TimeSpan delay) => delay < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : delay;

    /// <summary>
    /// The voice's current revision. The default voice is every worker's own and needs no lookup, so it is served
    /// even while the voice storage (Redis) is unreachable; another voice whose record cannot be read is a retryable
    /// <c>unavailable</c>, not an internal error.
    /// </summary>
    private async Task<string?> ResolveRevisionAsync(string voiceKey, string voiceId)
    {
        if (voiceKey == VoiceIds.Default)
        {
            return VoiceIds.DefaultRevision;
        }

        try
        {
            return await GrainFactory.GetGrain<ISpeakerGrain>(voiceKey).GetRevision();
        }
        catch (OrleansException ex)
        {
            LogVoiceStorageUnavailable(logger, ex, voiceKey);
            throw Rejections.VoiceStorageUnavailable(voiceId);
        }
    }

    [LoggerMessage(EventId = 2034, Level = LogLevel.Warning, Message = "Session {SessionId} was deactivated while speaking ({Reason}); its client was told to retry")]
    private static partial void LogDeactivatedWhileSpeaking(ILogger logger, Guid sessionId, string reason);

    [LoggerMessage(EventId = 2033, Level = LogLevel.Debug, Message = "Voice {VoiceId} could not be read from the voice storage")]
    private static partial void LogVoiceStorageUnavailable(ILogger logger, Exception exception, string voiceId);

    [LoggerMessage(EventId = 2035, Level = LogLevel.Debug, Message = "Session {SessionId} could not record its outcome for the operator view")]
    private static partial void LogOutcomeNotRecorded(ILogger logger, Exception exception, Guid sessionId);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Debug, Message = "Session {SessionId} started: {TextLength} chars, {Language}, decoder worker {Decoder}, T3 worker {Worker}")]
    private static partial void LogStarted(ILogger logger, Guid sessionId, int textLength, string language, string decoder, string worker);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Error, Message = "Session {SessionId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid sessionId);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Warning, Message = "Session {SessionId} could not publish its final event")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid sessionId);

    /// <summary>The session's segment queue, as the pipeline reads it; waiting for input applies the idle timeout.</summary>
    private sealed class SessionSegments(TtsSessionGrain session) : ISegmentSource
    {
        public bool IsCompleted => session.IsInputComplete() && session._segments.Reader.Count == 0;

        public bool TryRead([MaybeNullWhen(false)] out SpeechSegment segment) => session._segments.Reader.TryRead(out segment);

        public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => new(session.WaitForSegmentAsync(cancellationToken));
    }

    /// <summary>Validated settings of a session.</summary>
    private sealed record SessionPlan(string Language, string VoiceId, string VoiceRevision, SamplingSettings Sampling, SamplingOptions SamplingOptions, StreamingOptions Streaming, AudioFormat Format, string? Quality);

    /// <summary>Encodes and publishes the pipeline's chunks in order; keeps the session's stats.</summary>
    private sealed class ChunkPublisher(TtsSessionGrain session, AudioFormat format) : IDisposable
    {
        private readonly IAudioChunkEncoder _encoder = AudioEncoderFactory.Create(format);
        private int _chunks;
        private int _segments;
        private long _samples;
        private int _tokens;
        private double? _firstAudioMs;
        private SegmentOutcome? _outcome;

        public async Task Publish(AudioChunk chunk)
        {
            // The final marker (segment -1) speaks no text: it only carries what the encoder still held back.
            var isMarker = chunk.SegmentIndex < 0;
            var data = isMarker ? _encoder.Flush() : _encoder.Encode(chunk.Samples);
            if (chunk.IsFinal && !isMarker)
            {
                data = [.. data, .. _encoder.Flush()];
            }

            var startMs = chunk.StartSample * 1000.0 / ChatterboxConstants.SampleRate;
            var durationMs = chunk.Samples.Length * 1000.0 / ChatterboxConstants.SampleRate;
            if (chunk.Samples.Length > 0 && _firstAudioMs is null)
            {
                var sinceStart = session._time.GetElapsedTime(session._startedAt);
                _firstAudioMs = sinceStart.TotalMilliseconds;
                session._instruments.FirstAudio(sinceStart);
            }

            _chunks++;
            _segments = Math.Max(_segments, chunk.SegmentIndex + 1);
            _samples = chunk.StartSample + chunk.Samples.Length;
            _tokens += chunk.TokenCount;
            if (chunk.Outcome is { } outcome)
            {
                _outcome = SegmentOutcome.Combine(_outcome, outcome);
            }

            await session.Publish(new AudioChunkEvent(
                chunk.Sequence, data, format.Name, format.SampleRate, startMs, durationMs,
                isMarker ? 0 : chunk.TextStart, chunk.TextLength, chunk.SegmentIndex, chunk.TokenCount, chunk.IsFinal));
        }

        /// <summary>When the first audio was ready, in milliseconds from the session's start; null before any.</summary>
        public double? FirstAudioMilliseconds => _firstAudioMs;

        public SessionStats Stats()
        {
            var audioSeconds = (double)_samples / ChatterboxConstants.SampleRate;
            var wall = session._time.GetElapsedTime(session._startedAt).TotalSeconds;
            var warnings = _outcome is null ? [] : StopReasonNames.Of(_outcome.AlignmentWarnings);
            return new SessionStats(_firstAudioMs ?? 0, audioSeconds > 0 ? wall / audioSeconds : 0, _tokens, audioSeconds, _chunks, _segments)
            {
                StopReason = _outcome is null ? null : StopReasonNames.Of(_outcome.StopReason),
                AlignmentWarnings = warnings.Length == 0 ? null : warnings,
            };
        }

        public void Dispose() => _encoder.Dispose();
    }
}
