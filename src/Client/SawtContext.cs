using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Sawt.Protocol;

namespace Sawt.Client;

/// <summary>
/// One utterance (turn) on a <see cref="SawtConnection"/>: text goes in incrementally
/// (<see cref="SendTextAsync"/>, <see cref="StreamTextAsync"/>, <see cref="FlushAsync"/>, <see cref="EndAsync"/>),
/// audio comes out of <see cref="ReadAudioAsync"/> in sequence order. It ends with <c>done</c> (the enumeration
/// completes and <see cref="Completion"/> gives the figures), <c>cancelled</c> (completes; <see cref="Completion"/>
/// gives null) or an error (both throw <see cref="SawtException"/>; a dropped socket is the retryable
/// <c>connection_lost</c>).
/// </summary>
public sealed class SawtContext : IAsyncDisposable
{
    private readonly SawtConnection _connection;
    private readonly Channel<AudioChunk> _audio;
    private readonly TaskCompletionSource<StartedMessage> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DoneMessage?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly List<SawtException> _refusals = [];
    private volatile bool _abandoned;
    private Guid? _sessionId;

    internal SawtContext(SawtConnection connection, string contextId, long generation, int bufferCapacity)
    {
        _connection = connection;
        ContextId = contextId;
        Generation = generation;

        // The socket's reader waits when the application does not read (style: backpressure, not memory growth).
        _audio = Channel.CreateBounded<AudioChunk>(new BoundedChannelOptions(bufferCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        // Observed here so that an ended context nobody awaits does not raise UnobservedTaskException.
        _ = _completion.Task.ContinueWith(t => t.Exception, TaskScheduler.Default);
        _ = _started.Task.ContinueWith(t => t.Exception, TaskScheduler.Default);
    }

    /// <summary>The context id on the wire.</summary>
    public string ContextId { get; }

    /// <summary>The cluster's session id, once the context started.</summary>
    public Guid? SessionId => _sessionId;

    /// <summary>
    /// Completes when the context ends: with the <c>done</c> figures, with null when it was cancelled, or faulted with
    /// the <see cref="SawtException"/> that ended it.
    /// </summary>
    public Task<DoneMessage?> Completion => _completion.Task;

    /// <summary>
    /// Messages of this context the gateway refused without ending it (e.g. a <c>text</c> over the length limit):
    /// that text was not queued.
    /// </summary>
    public IReadOnlyList<SawtException> Refusals
    {
        get
        {
            lock (_gate)
            {
                return [.. _refusals];
            }
        }
    }

    /// <summary>The socket generation the context was opened on; a context never outlives its socket.</summary>
    internal long Generation { get; }

    internal Task<StartedMessage> Started => _started.Task;

    /// <summary>More text; with <paramref name="flush"/>, the buffered text is spoken without waiting for a sentence end.</summary>
    public Task SendTextAsync(string text, bool flush = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            // The protocol refuses an empty text; a flush alone is what that would mean.
            return flush ? FlushAsync(cancellationToken) : Task.CompletedTask;
        }

        return SendAsync(new TextMessage(ContextId, text, flush ? true : null), cancellationToken);
    }

    /// <summary>
    /// Sends every piece of <paramref name="text"/> as it comes (an LLM's token stream), then ends the input. Empty
    /// pieces are skipped.
    /// </summary>
    public async Task StreamTextAsync(IAsyncEnumerable<string> text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        await foreach (var piece in text.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await SendTextAsync(piece, flush: false, cancellationToken).ConfigureAwait(false);
        }

        await EndAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Speak the buffered text now, without waiting for a sentence end.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new FlushMessage(ContextId), cancellationToken);

    /// <summary>End of input: the rest is spoken, then the context ends with <c>done</c>.</summary>
    public Task EndAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new EndMessage(ContextId), cancellationToken);

    /// <summary>
    /// Stops the context now: generation stops, no more audio of it arrives after what is already on its way, and
    /// it ends as cancelled. Does nothing once the context has ended.
    /// </summary>
    public async Task CancelAsync(CancellationToken cancellationToken = default)
    {
        if (_completion.Task.IsCompleted)
        {
            return;
        }

        try
        {
            await _connection.SendAsync(new CancelMessage(ContextId), Generation, cancellationToken).ConfigureAwait(false);
        }
        catch (SawtException) when (_completion.Task.IsCompleted)
        {
            // It ended (or its socket dropped) meanwhile: there is nothing left to cancel.
        }
    }

    /// <summary>The context's audio, in sequence order, until it ends (see the class summary for how).</summary>
    public async IAsyncEnumerable<AudioChunk> ReadAudioAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A failed context completes the channel with its exception, which WaitToReadAsync rethrows.
        while (await _audio.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_audio.Reader.TryRead(out var chunk))
            {
                yield return chunk;
            }
        }
    }

    /// <summary>Cancels the context if it has not ended, and stops buffering its audio.</summary>
    public async ValueTask DisposeAsync()
    {
        _abandoned = true;

        // Unblocks the socket's reader if it waits for room in this context's buffer.
        while (_audio.Reader.TryRead(out _))
        {
        }

        if (!_completion.Task.IsCompleted)
        {
            try
            {
                await CancelAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (SawtException)
            {
                // The socket is gone: the context ended with it.
            }
        }
    }

    internal void OnStarted(StartedMessage started)
    {
        _sessionId = started.SessionId;
        _started.TrySetResult(started);
    }

    internal ValueTask OnAudioAsync(AudioChunk chunk, CancellationToken cancellationToken) =>
        _abandoned ? ValueTask.CompletedTask : _audio.Writer.WriteAsync(chunk, cancellationToken);

    internal void OnDone(DoneMessage done)
    {
        _audio.Writer.TryComplete();
        _started.TrySetException(SawtException.Violation($"Context '{ContextId}' ended before it started."));
        _completion.TrySetResult(done);
    }

    internal void OnCancelled()
    {
        _audio.Writer.TryComplete();
        _started.TrySetException(new OperationCanceledException($"Context '{ContextId}' was cancelled before it started."));
        _completion.TrySetResult(null);
    }

    internal void OnFailed(SawtException error)
    {
        _audio.Writer.TryComplete(error);
        _started.TrySetException(error);
        _completion.TrySetException(error);
    }

    internal void OnRefused(SawtException error)
    {
        lock (_gate)
        {
            _refusals.Add(error);
        }
    }

    private async Task SendAsync(ClientMessage message, CancellationToken cancellationToken)
    {
        if (_completion.Task.IsFaulted)
        {
            // Its error says why better than the gateway's unknown_context would.
            throw _completion.Task.Exception!.InnerException!;
        }

        if (_completion.Task.IsCompleted)
        {
            throw new InvalidOperationException($"Context '{ContextId}' has ended.");
        }

        await _connection.SendAsync(message, Generation, cancellationToken).ConfigureAwait(false);
    }
}
