using Sawt.Bench.Load;
using Sawt.Protocol;

namespace Sawt.Bench.Tests.Load;

/// <summary>The load generator's stream verifier on hand-built frame sequences: each break of the protocol is flagged, a correct stream passes.</summary>
[Trait("Category", "Unit")]
public sealed class StreamVerifierTests
{
    private const string A = "a";
    private const string B = "b";

    [Fact]
    public void CorrectStreams_Interleaved_PassWithEveryChunk()
    {
        var script = new StreamScript()
            .Started(A).Started(B)
            .Chunk(A, 0).Chunk(B, 0).Chunk(A, 1).Chunk(B, 1, isFinal: true).Done(B, 2)
            .Chunk(A, 2, isFinal: true).Done(A, 3);

        var result = StreamVerifier.Verify(script.Frames, [A, B]);

        Assert.Empty(result.Violations);
        Assert.Equal([0, 1, 2], result.Contexts[A].Chunks.Select(c => c.Sequence));
        Assert.Equal([0, 1], result.Contexts[B].Chunks.Select(c => c.Sequence));
        Assert.IsType<DoneMessage>(result.Contexts[A].Terminal);
    }

    [Fact]
    public void BusyRefusal_BeforeStarted_IsOneTerminalAndPasses()
    {
        var script = new StreamScript().Error(A, ErrorCodes.Busy, ended: true);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        Assert.Empty(result.Violations);
        Assert.Equal(ErrorCodes.Busy, result.Contexts[A].ErrorCode);
    }

    [Fact]
    public void Gap_ASequenceNeverArrives_IsFlagged()
    {
        var script = new StreamScript().Started(A).Chunk(A, 0).Chunk(A, 1).Chunk(A, 3, isFinal: true).Done(A, 3);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        var gap = Assert.Single(result.Violations, v => v.Kind == ViolationKind.Gap);
        Assert.Contains("2", gap.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Gap_DoneCountsMoreChunksThanArrived_IsFlagged()
    {
        // The lost chunk is the last one: no hole below the highest number, only done's count shows it.
        var script = new StreamScript().Started(A).Chunk(A, 0).Chunk(A, 1, isFinal: true).Done(A, 3);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        Assert.Contains(result.Violations, v => v.Kind == ViolationKind.Gap);
    }

    [Fact]
    public void Duplicate_ASequenceArrivesTwice_IsFlagged()
    {
        var script = new StreamScript().Started(A).Chunk(A, 0).Chunk(A, 1).Chunk(A, 1).Chunk(A, 2, isFinal: true).Done(A, 3);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        Assert.Contains(result.Violations, v => v.Kind == ViolationKind.Duplicate && v.ContextId == A);
    }

    [Fact]
    public void Reorder_ALowerSequenceArrivesLate_IsFlagged()
    {
        var script = new StreamScript().Started(A).Chunk(A, 0).Chunk(A, 2).Chunk(A, 1).Chunk(A, 3, isFinal: true).Done(A, 4);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        var reorder = Assert.Single(result.Violations);
        Assert.Equal(ViolationKind.Reorder, reorder.Kind);
    }

    [Fact]
    public void Pairing_AnAudioMessageWithoutItsBinaryFrame_IsFlagged()
    {
        var script = new StreamScript().Started(A).Chunk(A, 0).AudioOnly(A, 1).Chunk(A, 2, isFinal: true).Done(A, 3);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        Assert.Contains(result.Violations, v => v.Kind == ViolationKind.Pairing && v.ContextId == A);
    }

    [Fact]
    public void Pairing_AFrameOfAnotherLength_IsFlagged()
    {
        var script = new StreamScript().Started(A).Chunk(A, 0, isFinal: true, frameBytes: StreamScript.BytesPerToken).Done(A, 1);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        Assert.Contains(result.Violations, v => v.Kind == ViolationKind.Pairing);
    }

    [Fact]
    public void Pairing_ABinaryFrameWithoutAudio_IsFlagged()
    {
        var script = new StreamScript().Started(A).Chunk(A, 0, isFinal: true).Binary(8).Done(A, 1);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        var pairing = Assert.Single(result.Violations);
        Assert.Equal((ViolationKind.Pairing, null), (pairing.Kind, pairing.ContextId));
    }

    [Fact]
    public void Terminal_Two_IsFlagged()
    {
        var script = new StreamScript().Complete(A).Error(A, ErrorCodes.InternalError, ended: true);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        var terminal = Assert.Single(result.Violations);
        Assert.Equal(ViolationKind.Terminal, terminal.Kind);
    }

    [Fact]
    public void Terminal_None_IsFlagged()
    {
        var script = new StreamScript().Started(A).Chunk(A, 0);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        Assert.Contains(result.Violations, v => v.Kind == ViolationKind.Terminal);
    }

    [Fact]
    public void Refusal_ThatEndsNothing_IsNotATerminal()
    {
        var script = new StreamScript().Started(A).Error(A, ErrorCodes.TextTooLong, ended: false).Chunk(A, 0, isFinal: true).Done(A, 1);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        Assert.Empty(result.Violations);
        Assert.Equal([ErrorCodes.TextTooLong], result.SocketErrors);
    }

    [Fact]
    public void Order_AudioAfterTheTerminal_IsFlagged()
    {
        var script = new StreamScript().Complete(A, chunks: 1).Chunk(A, 1);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        Assert.Contains(result.Violations, v => v.Kind == ViolationKind.Order);
    }

    [Fact]
    public void Order_AudioBeforeStarted_IsFlagged()
    {
        var script = new StreamScript().Chunk(A, 0, isFinal: true).Started(A).Done(A, 1);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        var order = Assert.Single(result.Violations);
        Assert.Equal(ViolationKind.Order, order.Kind);
    }

    [Fact]
    public void Length_AudioMillisecondsOtherThanTheBytes_IsFlagged()
    {
        var script = new StreamScript().Started(A).Chunk(A, 0).Chunk(A, 1, isFinal: true).Done(A, 2, audioMs: 200);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        var length = Assert.Single(result.Violations);
        Assert.Equal(ViolationKind.Length, length.Kind);
    }

    [Theory]
    [InlineData(3)] // fewer tokens than the audio holds
    [InlineData(7)] // more tokens cut than there are chunks to end segments
    public void Length_TokensThatDoNotMatchTheSamples_AreFlagged(int tokens)
    {
        // Two chunks of 2 tokens: 3840 samples = 4 tokens, so 4 (cap), 5 or 6 (one or two STOP cuts) match.
        var script = new StreamScript().Started(A).Chunk(A, 0).Chunk(A, 1, isFinal: true).Done(A, 2, tokens: tokens);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        var length = Assert.Single(result.Violations);
        Assert.Equal(ViolationKind.Length, length.Kind);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void Length_TokensWithinTheCuts_Pass(int tokens)
    {
        var script = new StreamScript().Started(A).Chunk(A, 0).Chunk(A, 1, isFinal: true).Done(A, 2, tokens: tokens);

        Assert.Empty(StreamVerifier.Verify(script.Frames, [A]).Violations);
    }

    [Fact]
    public void Unexpected_AContextNeverOpened_IsFlagged()
    {
        var script = new StreamScript().Complete(A).Started(B);

        var result = StreamVerifier.Verify(script.Frames, [A]);

        var unexpected = Assert.Single(result.Violations);
        Assert.Equal((ViolationKind.Unexpected, B), (unexpected.Kind, unexpected.ContextId));
    }
}
