using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sawt.Client;
using Sawt.Protocol;
using Sawt.Silo;

namespace Sawt.Bench.Load;

/// <summary>
/// The load generator: <see cref="LoadBenchSettings.Contexts"/> concurrent incremental contexts over
/// <see cref="LoadBenchSettings.Sockets"/> WebSockets of the .NET client, against a running gateway or an embedded
/// cluster started here. Each context types its text a few words at a time, ends it, reads its audio, and on
/// <c>busy</c> (or another code it is told to retry) waits the hinted delay and starts over as a new context. Every frame each socket receives
/// is recorded and verified afterwards (<see cref="StreamVerifier"/>).
/// </summary>
internal sealed class LoadBench(LoadBenchSettings settings, TextWriter log)
{
    public async Task<LoadBenchReport> RunAsync(CancellationToken cancellationToken = default)
    {
        if (settings.Url is { } url)
        {
            return await RunAgainstAsync(url, $"the gateway at {url}", cancellationToken).ConfigureAwait(false);
        }

        using var bundle = settings.Bundle.Prepare(log);
        log.WriteLine($"starting the embedded cluster on {settings.Bundle.Label}");
        await using var host = await EmbeddedClusterHost.StartAsync(
                bundle.Directory,
                settings.IntraOpThreads,
                // Cluster warnings go to stderr, so stdout stays the report.
                configure: builder =>
                {
                    builder.Logging.ClearProviders();
                    builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        var target = $"the embedded cluster (one process: silo, CPU workers with {settings.IntraOpThreads} intra-op thread(s), gateway) on the {settings.Bundle.Label} bundle";
        return await RunAgainstAsync(host.BaseAddress, target, cancellationToken).ConfigureAwait(false);
    }

    private async Task<LoadBenchReport> RunAgainstAsync(Uri baseAddress, string target, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var attempts = new List<ContextAttempt>();
        var recordings = Enumerable.Range(0, settings.Sockets).Select(_ => new SocketRecording()).ToArray();
        var clock = Stopwatch.StartNew();
        log.WriteLine($"load: {settings.Contexts} contexts x {settings.Turns} turn(s) on {settings.Sockets} sockets, ramp {settings.Ramp.TotalSeconds:0.#} s");
        var sockets = Enumerable.Range(0, settings.Sockets)
            .Select(s => RunSocketAsync(s, baseAddress, http, recordings[s], attempts, clock, cancellationToken))
            .ToList();
        await Task.WhenAll(sockets).ConfigureAwait(false);
        var wall = clock.Elapsed;

        var verifications = recordings.Select(r => StreamVerifier.Verify(r.Frames, r.OpenedContexts)).ToList();
        List<ContextAttempt> all;
        lock (attempts)
        {
            all = [.. attempts];
        }

        var results = LoadAnalysis.Analyze(settings.Contexts * settings.Turns, all, verifications, Stopwatch.Frequency);
        return new LoadBenchReport(
            target,
            settings.Contexts,
            settings.ContextsPerSocket,
            settings.Sockets,
            settings.Turns,
            settings.Ramp.TotalSeconds,
            settings.Think.TotalMilliseconds,
            settings.WordsPerPiece,
            settings.PieceDelay.TotalMilliseconds,
            settings.RetryCodes,
            settings.MaxAttempts,
            settings.Language,
            settings.Text,
            wall.TotalSeconds,
            results,
            settings.TextAtStart);
    }

    private async Task RunSocketAsync(
        int socket,
        Uri baseAddress,
        HttpClient http,
        SocketRecording recording,
        List<ContextAttempt> attempts,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var first = socket * settings.ContextsPerSocket;
        var contexts = Enumerable.Range(first, Math.Min(settings.ContextsPerSocket, settings.Contexts - first)).ToList();
        await WaitForStartAsync(first, clock, cancellationToken).ConfigureAwait(false);

        var options = new SawtClientOptions
        {
            BaseAddress = baseAddress,
            ApiKey = settings.ApiKey,
            // A dropped socket is a failure to report, not something to hide by reconnecting.
            Reconnect = ReconnectPolicy.None,
            FrameObserver = recording.Observe,
        };
        using var client = new SawtClient(options, http);
        SawtConnection connection;
        try
        {
            connection = await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SawtException exception)
        {
            // Nothing reached the wire: each utterance of this socket failed once, with the connection's code.
            foreach (var context in contexts)
            {
                for (var turn = 0; turn < settings.Turns; turn++)
                {
                    Record(attempts, new ContextAttempt($"s{socket}-c{context}-t{turn}-a1", socket, (context * settings.Turns) + turn, 1, null, exception.Code));
                }
            }

            return;
        }

        await using (connection.ConfigureAwait(false))
        {
            var runs = contexts.Select(c => RunContextAsync(socket, c, connection, recording, attempts, clock, cancellationToken)).ToList();
            await Task.WhenAll(runs).ConfigureAwait(false);
        }
    }

    private async Task RunContextAsync(
        int socket,
        int context,
        SawtConnection connection,
        SocketRecording recording,
        List<ContextAttempt> attempts,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        await WaitForStartAsync(context, clock, cancellationToken).ConfigureAwait(false);
        for (var turn = 0; turn < settings.Turns; turn++)
        {
            if (turn > 0)
            {
                await Task.Delay(settings.Think, cancellationToken).ConfigureAwait(false);
            }

            var utterance = (context * settings.Turns) + turn;
            for (var number = 1; ; number++)
            {
                var id = $"s{socket}-c{context}-t{turn}-a{number}";
                recording.Opened(id);
                var (attempt, retryAfter) = await RunAttemptAsync(id, socket, utterance, number, connection, cancellationToken).ConfigureAwait(false);
                Record(attempts, attempt);
                if (!settings.RetryCodes.Contains(attempt.ClientCode) || number >= settings.MaxAttempts)
                {
                    break;
                }

                await Task.Delay(retryAfter ?? settings.DefaultRetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One context from <c>synthesize</c> to its end; how it ended and the retry hint of an error.</summary>
    private async Task<(ContextAttempt Attempt, TimeSpan? RetryAfter)> RunAttemptAsync(
        string id,
        int socket,
        int utterance,
        int number,
        SawtConnection connection,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.AttemptTimeout);
        var contextOptions = new ContextOptions
        {
            ContextId = id,
            Language = settings.Language,
            // The seed varies per utterance so that contexts do not all speak the same tokens; retries speak the same.
            Sampling = new SamplingParameters(Seed: 4242UL + (ulong)utterance),
            // No sentence pause, so the audio is exactly the tokens' (the verifier's length check).
            Chunking = new ChunkingParameters(SentencePauseMilliseconds: 0),
        };
        var pieces = settings.Pieces();
        long? firstText = null;
        if (settings.TextAtStart)
        {
            contextOptions = contextOptions with { Text = pieces[0] };
            pieces = pieces.Skip(1).ToList();
            firstText = Stopwatch.GetTimestamp();
        }

        SawtContext context;
        try
        {
            context = await connection.OpenContextAsync(contextOptions, timeout.Token).ConfigureAwait(false);
        }
        catch (SawtException exception)
        {
            return (new ContextAttempt(id, socket, utterance, number, firstText, exception.Code), exception.RetryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (new ContextAttempt(id, socket, utterance, number, firstText, LoadOutcomes.Timeout), null);
        }

        await using (context.ConfigureAwait(false))
        {
            var reading = DrainAsync(context, timeout.Token);
            try
            {
                foreach (var piece in pieces)
                {
                    firstText ??= Stopwatch.GetTimestamp();
                    await context.SendTextAsync(piece, cancellationToken: timeout.Token).ConfigureAwait(false);
                    await Task.Delay(settings.PieceDelay, timeout.Token).ConfigureAwait(false);
                }

                await context.EndAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is SawtException or InvalidOperationException)
            {
                // The context ended while typing (e.g. busy after it started): its completion says how.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Timed out while typing: counted below.
            }

            try
            {
                var done = await context.Completion.WaitAsync(timeout.Token).ConfigureAwait(false);
                return (new ContextAttempt(id, socket, utterance, number, firstText, done is null ? LoadOutcomes.Cancelled : LoadOutcomes.Done), null);
            }
            catch (SawtException exception)
            {
                return (new ContextAttempt(id, socket, utterance, number, firstText, exception.Code), exception.RetryAfter);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (new ContextAttempt(id, socket, utterance, number, firstText, LoadOutcomes.Timeout), null);
            }
            finally
            {
                await reading.ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads the context's audio so its buffer never holds up the socket; the recorder has the frames already.</summary>
    private static async Task DrainAsync(SawtContext context, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in context.ReadAudioAsync(cancellationToken).ConfigureAwait(false))
            {
            }
        }
        catch (Exception exception) when (exception is SawtException or OperationCanceledException)
        {
            // The context's end is read from its completion.
        }
    }

    /// <summary>Context <paramref name="index"/> starts at index / contexts of the ramp.</summary>
    private async Task WaitForStartAsync(int index, Stopwatch clock, CancellationToken cancellationToken)
    {
        var start = settings.Ramp * ((double)index / settings.Contexts);
        var wait = start - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Record(List<ContextAttempt> attempts, ContextAttempt attempt)
    {
        lock (attempts)
        {
            attempts.Add(attempt);
        }
    }
}
