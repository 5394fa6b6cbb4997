using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// The gateway's recovery when a session's stream goes silent or leaves a gap (<see cref="OrleansSessionHandle"/>): a
/// session that still answers gives what is missing by replay, and the consumer gets every chunk once, in order, then
/// the end; a lost session, or one that no longer holds a missing chunk, ends the context <c>unavailable</c>. The test
/// plays the stream itself (<see cref="OrleansSessionHandle.DeliverLocked"/>) and moves a fake clock for the liveness watch.
/// Input that reaches an activation which never started (a call routed while a silo leaves) is sent again, not dropped.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SessionStreamRecoveryTests
{
    private static readonly TimeSpan ProbeAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    /// <summary>Real-time bound on any pumping loop.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StreamSilentMidUtterance_SessionAnswers_RestReplayed_EveryChunkOnceInOrder()
    {
        var grain = Session(chunks: 6);
        await using var handle = Handle(grain);
        var events = ReadAllAsync(handle);
        StreamBrings(handle, grain, 0, 1, 2, 2); // three chunks (one twice), then nothing

        var start = _time.GetTimestamp();
        handle.WatchLiveness();
        await PumpAsync(() => events.IsCompleted);

        var heard = await events;
        Assert.Equal([0, 1, 2, 3, 4, 5], Sequences(heard));
        Assert.IsType<SessionCompleted>(heard[^1]);
        Assert.Equal(3, grain.ReplaysFrom[0]);
        Assert.Equal(3, handle.Replayed);
        Assert.Equal(0, grain.Cancels);
        Assert.True(_time.GetElapsedTime(start) >= ProbeAfter + ProbeTimeout, "replayed before the probe timed out");
        Assert.Contains((6, true), grain.Acknowledgements);
    }

    [Fact]
    public async Task StreamLostTheRestAndTheEnd_ButCarriesProbeAnswers_TheAnswerTellsWhatIsMissing_RestReplayed()
    {
        // A stream queue left with its silo holding chunks 2-5 and the end; the stream works again, so probes are
        // answered, and the answer says six chunks and the end came before it.
        var grain = Session(chunks: 6);
        await using var handle = Handle(grain);
        AnswerProbes(grain, handle, chunks: 6, ended: true);
        var events = ReadAllAsync(handle);
        StreamBrings(handle, grain, 0, 1);

        var start = _time.GetTimestamp();
        handle.WatchLiveness();
        await PumpAsync(() => events.IsCompleted);

        var heard = await events;
        Assert.Equal([0, 1, 2, 3, 4, 5], Sequences(heard));
        Assert.IsType<SessionCompleted>(heard[^1]);
        Assert.Equal(2, grain.ReplaysFrom[0]);
        Assert.True(_time.GetElapsedTime(start) < ProbeAfter + ProbeTimeout, "waited for the probe to time out although its answer came");
    }

    [Fact]
    public async Task QuietSession_ProbeAnswersMatchWhatArrived_NoReplay_ThenItsEndArrives()
    {
        // An incremental session waiting for text: two chunks published and delivered, no end yet.
        var grain = Session(chunks: 3);
        await using var handle = Handle(grain);
        AnswerProbes(grain, handle, chunks: 2, ended: false);
        var events = ReadAllAsync(handle);
        StreamBrings(handle, grain, 0, 1);

        handle.WatchLiveness();
        var start = _time.GetTimestamp();
        await PumpAsync(() => _time.GetElapsedTime(start) > 4 * (ProbeAfter + ProbeTimeout));

        Assert.Empty(grain.ReplaysFrom);
        Assert.False(events.IsCompleted, "a quiet session that answers its probes was ended");
        StreamBrings(handle, grain, 2, ^1);
        var heard = await events.WaitAsync(Bound, Token);
        Assert.Equal([0, 1, 2], Sequences(heard));
        Assert.IsType<SessionCompleted>(heard[^1]);
        Assert.Empty(grain.ReplaysFrom);
    }

    [Fact]
    public async Task StreamSilent_SessionLost_EndsUnavailableRetryably_AndCancelsIt()
    {
        var grain = Session(chunks: 4, lost: true);
        await using var handle = Handle(grain);
        var events = ReadAllAsync(handle);
        StreamBrings(handle, grain, 0, 1);

        handle.WatchLiveness();
        await PumpAsync(() => events.IsCompleted);

        var heard = await events;
        Assert.Equal([0, 1], Sequences(heard));
        var end = Assert.IsType<SessionFailed>(heard[^1]);
        Assert.Equal("unavailable", end.Code);
        Assert.True(end.Retryable);
        Assert.Equal([2], grain.ReplaysFrom);
        Assert.Equal(1, grain.Cancels);
    }

    [Fact]
    public async Task StreamSilent_SessionNoLongerHoldsTheMissingChunk_EndsUnavailable()
    {
        var grain = Session(chunks: 4, trimmed: true);
        await using var handle = Handle(grain);
        var events = ReadAllAsync(handle);
        StreamBrings(handle, grain, 0);

        handle.WatchLiveness();
        await PumpAsync(() => events.IsCompleted);

        var heard = await events;
        Assert.Equal([0], Sequences(heard));
        Assert.Equal("unavailable", Assert.IsType<SessionFailed>(heard[^1]).Code);
    }

    [Fact]
    public async Task StreamBringsTheEndWithChunksMissing_TheyAreReplayed_WithoutWaitingForAProbe()
    {
        var grain = Session(chunks: 4);
        await using var handle = Handle(grain);
        var events = ReadAllAsync(handle);
        StreamBrings(handle, grain, 0, 1, ^1); // chunks 2 and 3 were lost on the way

        handle.WatchLiveness();
        var heard = await events.WaitAsync(Bound, Token);

        Assert.Equal([0, 1, 2, 3], Sequences(heard));
        Assert.IsType<SessionCompleted>(heard[^1]);
        Assert.Equal([2], grain.ReplaysFrom);
    }

    [Fact]
    public async Task MissingChunkBeyondTheReorderWindow_Replayed_EveryChunkOnce()
    {
        const int Chunks = 48;
        var grain = Session(chunks: Chunks);
        await using var handle = Handle(grain, buffer: 2 * Chunks);
        var events = ReadAllAsync(handle);
        handle.WatchLiveness();
        StreamBrings(handle, grain, 0);
        for (var sequence = 2; sequence <= Chunks; sequence++) // chunk 1 never comes by the stream; the end does
        {
            handle.DeliverLocked(grain.Published[sequence]);
        }

        var heard = await events.WaitAsync(Bound, Token);

        Assert.Equal(Enumerable.Range(0, Chunks), Sequences(heard));
        Assert.IsType<SessionCompleted>(heard[^1]);
        Assert.Equal(1, grain.ReplaysFrom[0]);
    }

    [Fact]
    public async Task ReplayLargerThanTheConsumersBuffer_DeliveredAsItReads_NotSlowConsumer()
    {
        const int Buffer = 8;
        var grain = Session(chunks: 5 * Buffer);
        await using var handle = Handle(grain, buffer: Buffer);
        var events = ReadAllAsync(handle);
        StreamBrings(handle, grain, 0);

        handle.WatchLiveness();
        await PumpAsync(() => events.IsCompleted);

        var heard = await events;
        Assert.Equal(Enumerable.Range(0, 5 * Buffer), Sequences(heard));
        Assert.IsType<SessionCompleted>(heard[^1]);
        Assert.True(grain.ReplaysFrom.Count >= 2, $"replays from {string.Join(",", grain.ReplaysFrom)}");
    }

    [Fact]
    public async Task DeliveredChunks_AcknowledgedEveryFew_ThenTheEnd()
    {
        var grain = Session(chunks: 20);
        await using var handle = Handle(grain);
        await DeliverEverythingAsync(handle, grain);

        Assert.Equal(8, OrleansSessionHandle.AcknowledgeEvery);
        Assert.Equal([(8, false), (16, false), (20, true)], grain.Acknowledgements);
        Assert.Empty(grain.ReplaysFrom);
    }

    [Fact]
    public async Task InputReachesAnActivationThatNeverStarted_SentAgainUntilItLands_InOrder()
    {
        var grain = Session(chunks: 2);
        grain.MisroutedInputs = 3;
        await using var handle = Handle(grain);
        var events = ReadAllAsync(handle);
        handle.WatchLiveness();

        var sent = SendAllAsync();
        await PumpAsync(() => sent.IsCompleted);
        await sent;

        Assert.Equal(["text:Hello there.", "flush", "end"], grain.Inputs);
        Assert.Equal(6, grain.InputCalls);
        Assert.False(events.IsCompleted, "the context ended although its session was there");
        Assert.Equal(0, grain.Cancels);

        async Task SendAllAsync()
        {
            await Task.Yield();
            await handle.AppendTextAsync("Hello there.", Token);
            await handle.FlushAsync(Token);
            await handle.CompleteAsync(Token);
        }
    }

    [Fact]
    public async Task InputNeverLands_ContextEndsUnavailableAfterTheProbeTimeout_AndItsSessionIsCancelled()
    {
        var grain = Session(chunks: 2);
        grain.MisroutedInputs = int.MaxValue;
        await using var handle = Handle(grain);
        var events = ReadAllAsync(handle);
        var start = _time.GetTimestamp();

        var sent = handle.AppendTextAsync("Hello there.", Token);
        await PumpAsync(() => sent.IsCompleted && events.IsCompleted);

        var refusal = await Assert.ThrowsAsync<SessionRejectedException>(() => sent);
        Assert.Equal("unavailable", refusal.Code);
        var end = Assert.IsType<SessionFailed>(Assert.Single(await events));
        Assert.Equal("unavailable", end.Code);
        Assert.True(end.Retryable);
        Assert.Equal(1, grain.Cancels);
        Assert.True(_time.GetElapsedTime(start) >= ProbeTimeout, "gave up before the probe timeout");
        Assert.Empty(grain.Inputs);
    }

    [Fact]
    public async Task InputRefusedAfterTheContextEnded_NotSentAgain()
    {
        var grain = Session(chunks: 2);
        await using var handle = Handle(grain);
        await DeliverEverythingAsync(handle, grain);
        grain.MisroutedInputs = int.MaxValue; // the session left once its end was acknowledged

        await Assert.ThrowsAsync<SessionRejectedException>(() => handle.AppendTextAsync("Too late.", Token).WaitAsync(Bound, Token));
        Assert.Equal(1, grain.InputCalls);
    }

    private OrleansSessionHandle Handle(ScriptedSessionGrain grain, int buffer = 64) => new(
        Guid.NewGuid(),
        grain,
        new GatewayOptions { StreamProbeAfter = ProbeAfter, StreamProbeTimeout = ProbeTimeout, SessionEventBuffer = buffer },
        _time,
        NullLogger.Instance);

    /// <summary>A session that published <paramref name="chunks"/> chunks, then completed.</summary>
    private static ScriptedSessionGrain Session(int chunks, bool lost = false, bool trimmed = false)
    {
        var grain = new ScriptedSessionGrain { Lost = lost, Trimmed = trimmed };
        for (var i = 0; i < chunks; i++)
        {
            grain.Published.Add(new AudioChunkEvent(i, [(byte)i], "pcm_s16le", 24000, i * 40, 40, 0, 5, 0, 1, IsFinal: i == chunks - 1));
        }

        grain.Published.Add(new SessionCompleted(new SessionStats(100, 0.5, chunks, chunks * 0.04, chunks, 1)));
        return grain;
    }

    /// <summary>The stream carries the session's probe answers, each saying <paramref name="chunks"/> chunks (and <paramref name="ended"/>: the end) came before it.</summary>
    private static void AnswerProbes(ScriptedSessionGrain grain, OrleansSessionHandle handle, int chunks, bool ended)
    {
        grain.ProbeAnswer = probe => new SessionProbed(probe, chunks, ended);
        grain.Stream = item => handle.OnNextAsync(item, token: null);
    }

    private static async Task<List<SessionEvent>> ReadAllAsync(OrleansSessionHandle handle)
    {
        var events = new List<SessionEvent>();
        await foreach (var item in handle.Events.WithCancellation(Token))
        {
            events.Add(item);
        }

        return events;
    }

    /// <summary>The stream brings these of the session's events (an index into everything it published), in this order.</summary>
    private static void StreamBrings(OrleansSessionHandle handle, ScriptedSessionGrain grain, params Index[] published)
    {
        foreach (var index in published)
        {
            handle.DeliverLocked(grain.Published[index]);
        }
    }

    /// <summary>The stream brings everything the session published, its end included, and the consumer reads it all.</summary>
    private static async Task DeliverEverythingAsync(OrleansSessionHandle handle, ScriptedSessionGrain grain)
    {
        var events = ReadAllAsync(handle);
        foreach (var item in grain.Published)
        {
            handle.DeliverLocked(item);
        }

        await events.WaitAsync(Bound, Token);
    }

    private static int[] Sequences(List<SessionEvent> events) => [.. events.OfType<AudioChunkEvent>().Select(c => c.Sequence)];

    private async Task PumpAsync(Func<bool> condition)
    {
        var real = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(real.Elapsed < Bound, "the handle never got there");
            _time.Advance(Step);
            await Task.Delay(1, Token);
        }
    }
}
