using Sawt.Contracts.Sessions;
using Sawt.Grains.Sessions;

namespace Sawt.Grains.Tests;

/// <summary>
/// What a session keeps for a gateway whose stream went silent (<see cref="SessionReplayBuffer"/>): unacknowledged
/// chunks in order and the final event, within a cap in chunks and bytes.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SessionReplayBufferTests
{
    private const int ChunkBytes = 100;
    private const int Roomy = 1000;
    private const long RoomyBytes = 1_000_000;

    [Fact]
    public void Acknowledge_TrimsTheChunksBelow_KeepsTheAcknowledgedOneOn()
    {
        var buffer = Filled(Roomy, RoomyBytes, chunks: 5);

        buffer.Acknowledge(3, ended: false);

        Assert.Equal(2, buffer.Count);
        Assert.Equal(2 * ChunkBytes, buffer.Bytes);
        var replay = buffer.Replay(3);
        Assert.True(replay.Whole);
        Assert.Equal([3, 4], Sequences(replay));
    }

    [Fact]
    public void Replay_FromAChunk_ThatChunkAndLater_ThenTheFinalEvent()
    {
        var buffer = Filled(Roomy, RoomyBytes, chunks: 6);
        var end = new SessionCompleted(Stats(6));
        buffer.Record(end);

        var replay = buffer.Replay(2);

        Assert.True(replay.Whole);
        Assert.Equal([2, 3, 4, 5], Sequences(replay));
        Assert.Same(end, replay.Events[^1]);
        Assert.Equal(5, replay.Events.Length);
    }

    [Fact]
    public void Replay_BeforeAnyEnd_NoFinalEvent_AndBeyondTheLastChunk_Empty()
    {
        var buffer = Filled(Roomy, RoomyBytes, chunks: 3);

        Assert.Equal([1, 2], Sequences(buffer.Replay(1)));
        Assert.DoesNotContain(buffer.Replay(1).Events, e => e is SessionCompleted or SessionFailed);
        var beyond = buffer.Replay(3);
        Assert.True(beyond.Whole);
        Assert.Empty(beyond.Events);
    }

    [Fact]
    public void CapInChunks_OldestDropped_ReplayFromADroppedChunkNotWhole()
    {
        var buffer = Filled(maxChunks: 3, RoomyBytes, chunks: 6);

        Assert.Equal(3, buffer.Count);
        Assert.False(buffer.Replay(2).Whole);
        Assert.Empty(buffer.Replay(2).Events);
        var kept = buffer.Replay(3);
        Assert.True(kept.Whole);
        Assert.Equal([3, 4, 5], Sequences(kept));
    }

    [Fact]
    public void CapInBytes_OldestDropped_BytesStayWithinIt()
    {
        var buffer = Filled(Roomy, maxBytes: 4 * ChunkBytes, chunks: 10);

        Assert.Equal(4, buffer.Count);
        Assert.Equal(4 * ChunkBytes, buffer.Bytes);
        Assert.False(buffer.Replay(5).Whole);
        Assert.Equal([6, 7, 8, 9], Sequences(buffer.Replay(6)));
    }

    [Fact]
    public void ManyChunksAcknowledgedAsTheyGo_MemoryStaysFlat()
    {
        var buffer = new SessionReplayBuffer(Roomy, RoomyBytes);
        for (var i = 0; i < 100_000; i++)
        {
            buffer.Record(Chunk(i));
            if ((i + 1) % 8 == 0)
            {
                buffer.Acknowledge(i + 1, ended: false);
            }
        }

        Assert.True(buffer.Count < 8, $"{buffer.Count} chunks held");
        Assert.Equal(buffer.Count * ChunkBytes, buffer.Bytes);
    }

    [Fact]
    public void FinalEvent_KeptAfterEveryChunkWasAcknowledged_SettledOnlyWhenItsEndIsAcknowledged()
    {
        var buffer = Filled(Roomy, RoomyBytes, chunks: 4);
        var failed = new SessionFailed("input_timeout", "No text.", false, null);
        buffer.Record(failed);

        buffer.Acknowledge(4, ended: false);

        Assert.Equal(0, buffer.Count);
        Assert.False(buffer.Settled);
        var replay = buffer.Replay(4);
        Assert.True(replay.Whole);
        Assert.Equal([failed], replay.Events);

        buffer.Acknowledge(4, ended: true);
        Assert.True(buffer.Settled);
    }

    [Fact]
    public void LetGoBeforeItsEnd_DropsWhatItHolds_KeepsNoMoreAudio_Settled()
    {
        var buffer = Filled(Roomy, RoomyBytes, chunks: 4);

        // The gateway lets the session go with chunk 2 delivered (its client left): nobody will ask for the rest.
        buffer.Acknowledge(2, ended: true);
        Assert.True(buffer.Settled);
        Assert.Equal((0, 0L), (buffer.Count, buffer.Bytes));

        buffer.Record(Chunk(4));
        Assert.Equal((0, 0L), (buffer.Count, buffer.Bytes));
    }

    [Fact]
    public void OnlyTheFirstFinalEventKept_ProbesNotKept()
    {
        var buffer = new SessionReplayBuffer(Roomy, RoomyBytes);
        var first = new SessionFailed("cancelled", "Cancelled.", false, null);
        buffer.Record(new SessionProbed(1));
        buffer.Record(first);
        buffer.Record(new SessionFailed("shutting_down", "Leaving.", true, 1));

        Assert.Equal([first], buffer.Replay(0).Events);
    }

    [Fact]
    public void Published_CountsEveryChunkRecorded_AcknowledgedDroppedOrAfterSettling_NotProbes()
    {
        var buffer = Filled(maxChunks: 2, RoomyBytes, chunks: 4);
        Assert.Equal(4, buffer.Published);

        buffer.Record(new SessionProbed(1));
        buffer.Acknowledge(3, ended: true);
        buffer.Record(Chunk(4));

        Assert.Equal(5, buffer.Published);
    }

    [Fact]
    public void Changed_CompletesWhenAnEventIsRecorded()
    {
        var buffer = new SessionReplayBuffer(Roomy, RoomyBytes);
        var changed = buffer.Changed;
        Assert.False(changed.IsCompleted);

        buffer.Record(Chunk(0));

        Assert.True(changed.IsCompleted);
        Assert.False(buffer.Changed.IsCompleted);
    }

    private static SessionReplayBuffer Filled(int maxChunks, long maxBytes, int chunks)
    {
        var buffer = new SessionReplayBuffer(maxChunks, maxBytes);
        for (var i = 0; i < chunks; i++)
        {
            buffer.Record(Chunk(i));
        }

        return buffer;
    }

    private static AudioChunkEvent Chunk(int sequence) =>
        new(sequence, new byte[ChunkBytes], "pcm_s16le", 24000, sequence * 40, 40, 0, 5, 0, 1, IsFinal: false);

    private static SessionStats Stats(int chunks) => new(100, 0.5, chunks, chunks * 0.04, chunks, 1);

    private static int[] Sequences(SessionReplay replay) => [.. replay.Events.OfType<AudioChunkEvent>().Select(c => c.Sequence)];
}
