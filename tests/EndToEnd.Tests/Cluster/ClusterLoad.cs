using System.Globalization;
using System.Threading.Channels;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// A steady load of contexts through a gateway: sockets that each keep a number of utterances under way and start a
/// new one whenever one ends, alternately incremental (text and <c>end</c> sent right after <c>synthesize</c>) and
/// one-shot. A retryable error with a retry hint is retried after the hint (bounded) as a new context of the same
/// utterance. Every frame is checked as it arrives, as the load generator's verifier does: <c>started</c> first,
/// audio sequence 0, 1, 2, ... with each message's <c>bytes</c> in its binary frame, exactly one terminal message
/// and nothing after it, and a <c>done</c>'s <c>chunks</c> equal to the audio received. Each attempt notes the test's
/// phase when it was queued, so a test can say which ones were sent after something happened.
/// </summary>
internal sealed class ClusterLoad : IAsyncDisposable
{
    /// <summary>Attempts per utterance before the load gives it up (a retryable error each time).</summary>
    public const int MaxAttempts = 8;

    private static readonly string[] Answers =
    [
        "A short answer to a question.",
        "Here is what I found about that.",
        "Yes, that should work fine.",
        "Let me say that again more slowly.",
    ];

    private readonly List<LoadSocket> _sockets = [];
    private readonly Func<int> _phase;
    private readonly int _perSocket;
    private readonly CancellationTokenSource _stop = new();
    private int _utterances;
    private volatile bool _starting = true;

    private ClusterLoad(Func<int> phase, int perSocket)
    {
        _phase = phase;
        _perSocket = perSocket;
    }

    /// <summary>Every attempt so far (a snapshot; those still running may change).</summary>
    public IReadOnlyList<LoadAttempt> Attempts => [.. _sockets.SelectMany(s => s.Snapshot())];

    /// <summary>Connects <paramref name="sockets"/> sockets and starts <paramref name="perSocket"/> utterances on each.</summary>
    /// <param name="phase">The test's phase now; noted on each attempt when it is queued.</param>
    public static async Task<ClusterLoad> StartAsync(Uri uri, int sockets, int perSocket, Func<int> phase, CancellationToken cancellationToken)
    {
        var load = new ClusterLoad(phase, perSocket);
        try
        {
            for (var s = 0; s < sockets; s++)
            {
                load._sockets.Add(new LoadSocket(load, s, await WsTestClient.ConnectAsync(uri, cancellationToken)));
            }

            foreach (var socket in load._sockets)
            {
                socket.Run();
                for (var i = 0; i < perSocket; i++)
                {
                    socket.StartUtterance();
                }
            }

            return load;
        }
        catch
        {
            await load.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds over the attempts; fails after <paramref name="bound"/>, or at once when a socket failed.</summary>
    public async Task UntilAsync(Func<IReadOnlyList<LoadAttempt>, bool> condition, TimeSpan bound, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            ThrowIfSocketFailed();
            var attempts = Attempts;
            if (condition(attempts))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Not within {bound.TotalSeconds} s: {what}. Attempts: {Summary(attempts)}");
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Starts no more utterances and waits until every one under way has ended (retries included); fails after
    /// <paramref name="bound"/> naming the contexts still open: no terminal message, a silent loss.
    /// </summary>
    /// <param name="explain">What the cluster logged about an open context, appended to the failure (its cause is rarely in the test's view).</param>
    public async Task EndAsync(TimeSpan bound, CancellationToken cancellationToken, Func<LoadAttempt, string>? explain = null)
    {
        _starting = false;
        var deadline = DateTime.UtcNow + bound;
        while (_sockets.Any(s => s.Open > 0))
        {
            ThrowIfSocketFailed();
            if (DateTime.UtcNow > deadline)
            {
                var open = Attempts.Where(a => a.Terminal is null).ToList();
                var logged = explain is null ? string.Empty : string.Concat(open.Select(a => $"\n--- {a.ContextId}:\n{explain(a)}"));
                Assert.Fail($"No terminal message within {bound.TotalSeconds} s for {string.Join("; ", open)}: lost silently.{logged}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _starting = false;
        await _stop.CancelAsync();
        foreach (var socket in _sockets)
        {
            await socket.DisposeAsync();
        }

        _stop.Dispose();
    }

    /// <summary>Outcomes by count, for failure messages.</summary>
    public static string Summary(IEnumerable<LoadAttempt> attempts) =>
        string.Join(", ", attempts.GroupBy(a => (a.Phase, a.Outcome)).OrderBy(g => g.Key).Select(g => $"phase {g.Key.Phase} {g.Key.Outcome} x{g.Count()}"));

    private void ThrowIfSocketFailed()
    {
        if (_sockets.FirstOrDefault(s => s.Failure is not null) is { } failed)
        {
            Assert.Fail($"Load socket {failed.Index} failed: {failed.Failure}");
        }
    }

    /// <summary>One socket: a reader that checks and reacts to every message, a writer that sends what is queued.</summary>
    private sealed class LoadSocket(ClusterLoad load, int index, WsTestClient client) : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, LoadAttempt> _attempts = new(StringComparer.Ordinal);
        private readonly Channel<object> _outgoing = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        private Task _reading = Task.CompletedTask;
        private Task _writing = Task.CompletedTask;
        private int _open;

        public int Index => index;

        /// <summary>Utterances under way (a retry pending included).</summary>
        public int Open => Volatile.Read(ref _open);

        public string? Failure { get; private set; }

        public List<LoadAttempt> Snapshot()
        {
            lock (_gate)
            {
                return [.. _attempts.Values];
            }
        }

        public void Run()
        {
            _reading = ReadAsync();
            _writing = WriteAsync();
        }

        public void StartUtterance()
        {
            var number = Interlocked.Increment(ref load._utterances);
            Interlocked.Increment(ref _open);
            Attempt($"u{number.ToString(CultureInfo.InvariantCulture)}", 1, incremental: number % 2 == 0, load._phase());
        }

        public async ValueTask DisposeAsync()
        {
            _outgoing.Writer.TryComplete();
            await _writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            client.Abort(); // ends the read at once; the load is over
            await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await client.DisposeAsync();
        }

        private void Attempt(string utterance, int number, bool incremental, int utterancePhase)
        {
            var id = $"s{index.ToString(CultureInfo.InvariantCulture)}{utterance}a{number.ToString(CultureInfo.InvariantCulture)}";
            var text = Answers[(int)((uint)utterance.GetHashCode(StringComparison.Ordinal) % Answers.Length)];
            lock (_gate)
            {
                _attempts[id] = new LoadAttempt(utterance, number, id, incremental, load._phase(), utterancePhase);
                if (incremental)
                {
                    _outgoing.Writer.TryWrite(new { type = "synthesize", context_id = id, incremental = true, language = "en" });
                    _outgoing.Writer.TryWrite(new { type = "text", context_id = id, text = "First words of an answer,", flush = true });
                    _outgoing.Writer.TryWrite(new { type = "text", context_id = id, text = " " + text });
                    _outgoing.Writer.TryWrite(new { type = "end", context_id = id });
                }
                else
                {
                    _outgoing.Writer.TryWrite(new { type = "synthesize", context_id = id, text, language = "en" });
                }
            }
        }

        private async Task WriteAsync()
        {
            try
            {
                await foreach (var message in _outgoing.Reader.ReadAllAsync(load._stop.Token))
                {
                    await client.SendAsync(message, load._stop.Token);
                }
            }
            catch (OperationCanceledException) when (load._stop.IsCancellationRequested)
            {
                // The load is over.
            }
            catch (Exception exception) when (!load._stop.IsCancellationRequested)
            {
                Failure ??= $"sending: {exception.GetType().Name}: {exception.Message}";
            }
        }

        private async Task ReadAsync()
        {
            try
            {
                while (true)
                {
                    var message = await client.ReceiveAsync(load._stop.Token);
                    if (Check(message) is { } ended)
                    {
                        OnEnded(ended);
                    }
                }
            }
            catch (Exception) when (load._stop.IsCancellationRequested)
            {
                // The load is over (the socket was aborted under the read).
            }
            catch (Exception exception)
            {
                Failure ??= $"reading: {exception.GetType().Name}: {exception.Message}";
            }
        }

        /// <summary>Checks one message against its context's order; returns the attempt when this was its (first) terminal.</summary>
        private LoadAttempt? Check(ServerMessage message)
        {
            lock (_gate)
            {
                if (message.ContextId is not { } id || !_attempts.TryGetValue(id, out var attempt))
                {
                    Failure ??= $"a message for no context of this socket: {message.Json.ToJsonString()}";
                    return null;
                }

                var terminal = message.Type is "done" or "cancelled" || (message.Type == "error" && message.Json["context_ended"]?.GetValue<bool>() == true);
                if (attempt.Terminal is not null)
                {
                    attempt.Violations.Add($"{(terminal ? "a second terminal" : "a message")} after its terminal: {message.Json.ToJsonString()}");
                    attempt.Terminals.AddRange(terminal ? [message] : []);
                    return null;
                }

                switch (message.Type)
                {
                    case "started":
                        if (attempt.SessionId is not null || attempt.NextSequence > 0)
                        {
                            attempt.Violations.Add("started again, or after audio");
                        }

                        attempt.SessionId = Guid.Parse((string)message.Json["session_id"]!);
                        return null;
                    case "audio":
                        var sequence = message.Json["sequence"]!.GetValue<int>();
                        if (attempt.SessionId is null)
                        {
                            attempt.Violations.Add($"audio {sequence} before started");
                        }

                        if (sequence != attempt.NextSequence)
                        {
                            attempt.Violations.Add($"audio {sequence} where {attempt.NextSequence} was due (gap, duplicate or reorder)");
                        }

                        if (message.Audio!.Length != message.Json["bytes"]!.GetValue<int>())
                        {
                            attempt.Violations.Add($"audio {sequence} announced {message.Json["bytes"]} bytes; its frame has {message.Audio.Length}");
                        }

                        attempt.NextSequence = Math.Max(attempt.NextSequence, sequence + 1);
                        return null;
                    case "done":
                        if (message.Json["chunks"]?.GetValue<int>() is { } chunks && chunks != attempt.NextSequence)
                        {
                            attempt.Violations.Add($"done says {chunks} chunks; {attempt.NextSequence} arrived");
                        }

                        attempt.Terminals.Add(message);
                        return attempt;
                    case "cancelled":
                        attempt.Terminals.Add(message);
                        return attempt;
                    case "error" when terminal:
                        attempt.Terminals.Add(message);
                        return attempt;
                    default:
                        attempt.Violations.Add($"unexpected: {message.Json.ToJsonString()}");
                        return null;
                }
            }
        }

        /// <summary>Retries a retryable end after its hint (bounded); otherwise the utterance is over and, while the load runs, another starts.</summary>
        private void OnEnded(LoadAttempt attempt)
        {
            if (attempt.IsRetryableError && attempt.Number < MaxAttempts)
            {
                var hint = TimeSpan.FromMilliseconds(Math.Clamp(attempt.Terminal!.Json["retry_after_ms"]!.GetValue<long>(), 50, 2000));
                _ = RetryAsync(attempt, hint);
                return;
            }

            Interlocked.Decrement(ref _open);
            if (load._starting)
            {
                StartUtterance();
            }
        }

        private async Task RetryAsync(LoadAttempt attempt, TimeSpan hint)
        {
            try
            {
                await Task.Delay(hint, load._stop.Token);
                Attempt(attempt.Utterance, attempt.Number + 1, attempt.Incremental, attempt.UtterancePhase);
            }
            catch (OperationCanceledException)
            {
                // The load is over.
            }
        }
    }
}
