using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sawt.Inference.Bundles;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Decoding;

/// <summary>
/// Batches decoder calls from many sessions into single graph calls. Chunks of the same variant and equal shapes
/// (<see cref="DecoderRow.ShapeKey"/>; the graph has no padding mask, so unequal rows never share a call) wait up to
/// <see cref="DecoderBatchingOptions.MaxBatchWait"/> for company, then run; at most
/// <see cref="DecoderBatchingOptions.MaxConcurrentBatches"/> calls run at once. One loop on a dedicated thread owns the
/// waiting list; callers and finished runs only post to it. A caller that cancels gets its cancellation at once; a
/// batch it was part of still runs for the others.
/// </summary>
public sealed partial class DecoderBatcher : IAsyncDisposable, IDisposable
{
    private readonly Func<IReadOnlyList<DecoderRow>, LoadedDecoder, CancellationToken, float[][]> _run;
    private readonly DecoderBatchingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<Entry> _submitted = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer _wake;
    private readonly Thread _thread;
    private int _outstanding;
    private int _runningBatches;
    private int _running;
    private int _pending;
    private long _batches;
    private long _rows;

    public DecoderBatcher(SpeechDecoder decoder, DecoderBatchingOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
        : this(decoder.DecodeBatch, options, time, logger)
    {
    }

    /// <summary>With the graph call as a seam, so tests can hold a batch while it runs.</summary>
    internal DecoderBatcher(Func<IReadOnlyList<DecoderRow>, LoadedDecoder, CancellationToken, float[][]> run, DecoderBatchingOptions? options, TimeProvider? time, ILogger? logger)
    {
        _run = run;
        _options = options ?? new DecoderBatchingOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _wake = _time.CreateTimer(static state => ((DecoderBatcher)state!).Signal(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _thread = new Thread(Loop) { IsBackground = true, Name = "sawt-decoder-batcher" };
        // Without the creator's ExecutionContext: the loop serves every caller.
        _thread.UnsafeStart();
    }

    public DecoderBatcherLoad Load => new(Volatile.Read(ref _running), Volatile.Read(ref _pending), Interlocked.Read(ref _batches), Interlocked.Read(ref _rows));

    /// <summary>
    /// Audio of <paramref name="tokens"/> for <paramref name="voice"/> with <paramref name="decoder"/>, decoded alone or
    /// with other chunks of its shape. Throws <c>busy</c> when <see cref="DecoderBatchingOptions.MaxQueuedRows"/>
    /// chunks are already waiting or running, and <c>shutting_down</c> after disposal.
    /// </summary>
    public Task<float[]> DecodeAsync(VoiceConditionals voice, long[] tokens, LoadedDecoder decoder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(voice);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(decoder);
        if (tokens.Length == 0)
        {
            return Task.FromResult(Array.Empty<float>());
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<float[]>(cancellationToken);
        }

        if (_stopping.IsCancellationRequested)
        {
            throw new InferenceException(InferenceErrorCode.ShuttingDown, "The decoder is shutting down.");
        }

        if (Interlocked.Increment(ref _outstanding) > _options.MaxQueuedRows)
        {
            Interlocked.Decrement(ref _outstanding);
            throw new InferenceException(InferenceErrorCode.Busy, $"The decoder has {_options.MaxQueuedRows} chunks waiting or running; retry shortly.")
            {
                RetryAfter = TimeSpan.FromMilliseconds(500),
            };
        }

        var row = new DecoderRow(voice, tokens);
        // Stamped on the caller's thread: the wait bound counts from submission, whenever the loop reads it.
        var entry = new Entry(row, decoder, DecoderBatchKey.For(decoder.Variant, row), _time.GetUtcNow());
        entry.Registration = cancellationToken.Register(static state =>
        {
            var (self, e, token) = ((DecoderBatcher, Entry, CancellationToken))state!;
            if (e.Completion.TrySetCanceled(token))
            {
                self.Signal(); // the loop drops it if it still waits
            }
        }, (this, entry, cancellationToken));
        _submitted.Enqueue(entry);
        Signal();
        return entry.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        await _stopped.Task.ConfigureAwait(false);
        Release();
    }

    public void Dispose()
    {
        Stop();
        _thread.Join();
        Release();
    }

    private void Stop()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
        }
    }

    private void Release()
    {
        _wake.Dispose();
        _signal.Dispose();
        _stopping.Dispose();
    }

    private void Signal()
    {
        try
        {
            _signal.Release();
        }
        catch (ObjectDisposedException)
        {
            // A late cancellation or timer after disposal: nothing is left to wake.
        }
    }

    private void Loop()
    {
        var pending = new List<Entry>();
        var inflight = new List<Task>();
        try
        {
            while (true)
            {
                _signal.Wait(_stopping.Token);
                inflight.RemoveAll(t => t.IsCompleted);

                while (_submitted.TryDequeue(out var entry))
                {
                    pending.Add(entry);
                }

                // Cancelled while waiting: already answered, just forget them.
                foreach (var gone in pending.Where(e => e.Completion.Task.IsCompleted).ToList())
                {
                    pending.Remove(gone);
                    Ended(gone);
                }

                var now = _time.GetUtcNow();
                var runningBatches = Volatile.Read(ref _runningBatches);
                var plan = DecoderBatchPlanner.Next([.. pending.Select(e => (e.Key, e.SubmittedAt))], now, _options.MaxConcurrentBatches - runningBatches, _options);
                var started = new HashSet<int>();
                foreach (var indices in plan.Batches)
                {
                    var batch = indices.Select(i => pending[i]).ToArray();
                    started.UnionWith(indices);
                    inflight.Add(Start(batch));
                }

                if (started.Count > 0)
                {
                    pending = [.. pending.Where((_, i) => !started.Contains(i))];
                }

                Volatile.Write(ref _pending, pending.Count);
                if (plan.WakeAt is { } wakeAt)
                {
                    _wake.Change(Max(wakeAt - now, TimeSpan.Zero), Timeout.InfiniteTimeSpan);
                    // The clock may have passed the deadline while the timer was set (a test's fake clock can): look again.
                    if (_time.GetUtcNow() >= wakeAt)
                    {
                        Signal();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: answer everything still waiting.
        }
        catch (Exception ex)
        {
            // Loop edge: logged, and every waiter is answered below rather than left hanging.
            LogLoopFailed(_logger, ex);
        }
        finally
        {
            while (_submitted.TryDequeue(out var entry))
            {
                pending.Add(entry);
            }

            foreach (var entry in pending)
            {
                entry.Completion.TrySetException(new InferenceException(InferenceErrorCode.ShuttingDown, "The decoder is shutting down."));
                Ended(entry);
            }

            // Running calls were terminated by the stop token; they never fault (Execute answers every error).
            Task.WaitAll([.. inflight]);
            _stopped.TrySetResult();
        }
    }

    private Task Start(Entry[] batch)
    {
        Interlocked.Increment(ref _runningBatches);
        Interlocked.Add(ref _running, batch.Length);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _rows, batch.Length);
        LogBatch(_logger, batch[0].Decoder.Variant, batch.Length, batch[0].Row.Tokens.Length);
        // One short task per graph call (the call is synchronous and long); the loop goes on gathering meanwhile.
        return Task.Run(() => Execute(batch), CancellationToken.None);
    }

    private void Execute(Entry[] batch)
    {
        float[][]? audio = null;
        Exception? failure = null;
        try
        {
            // Members' own tokens do not stop the call (the others need it); shutdown does.
            audio = _run([.. batch.Select(e => e.Row)], batch[0].Decoder, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            failure = new InferenceException(InferenceErrorCode.ShuttingDown, "The decoder is shutting down.");
        }
        catch (Exception ex)
        {
            // A failed call fails its batch only; the loop and other batches go on.
            failure = ex;
        }

        // Counted out before anyone hears back, so a caller that submits its next chunk at once finds the room.
        foreach (var entry in batch)
        {
            Ended(entry);
        }

        Interlocked.Add(ref _running, -batch.Length);
        Interlocked.Decrement(ref _runningBatches);
        for (var i = 0; i < batch.Length; i++)
        {
            if (audio is not null)
            {
                batch[i].Completion.TrySetResult(audio[i]);
            }
            else
            {
                batch[i].Completion.TrySetException(failure!);
            }
        }

        Signal();
    }

    private void Ended(Entry entry)
    {
        entry.Registration.Dispose();
        Interlocked.Decrement(ref _outstanding);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(EventId = 3060, Level = LogLevel.Trace, Message = "Decoder batch: variant {Variant}, {Rows} rows of {Tokens} tokens")]
    private static partial void LogBatch(ILogger logger, string variant, int rows, int tokens);

    [LoggerMessage(EventId = 3061, Level = LogLevel.Error, Message = "The decoder batching loop failed; waiting chunks were failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    private sealed class Entry(DecoderRow row, LoadedDecoder decoder, DecoderBatchKey key, DateTimeOffset submittedAt)
    {
        public DecoderRow Row { get; } = row;

        public LoadedDecoder Decoder { get; } = decoder;

        public DecoderBatchKey Key { get; } = key;

        public DateTimeOffset SubmittedAt { get; } = submittedAt;

        public TaskCompletionSource<float[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}
