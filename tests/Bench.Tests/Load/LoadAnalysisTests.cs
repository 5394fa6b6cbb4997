using Sawt.Bench.Load;
using Sawt.Protocol;

namespace Sawt.Bench.Tests.Load;

/// <summary>The load report's figures from attempts and verified streams (timestamps in milliseconds: frequency 1000).</summary>
[Trait("Category", "Unit")]
public sealed class LoadAnalysisTests
{
    private const long Milliseconds = 1000;

    [Fact]
    public void Analyze_ARetriedUtteranceAndAFailedOne_CountsOutcomesRetriesAndLatencies()
    {
        // Socket 0: the retry of utterance 0 completes. Its first chunk carries no samples, so first audio is chunk 1.
        var completed = new StreamScript()
            .Started("u0-a2")                                              // t1
            .Chunk("u0-a2", 0, tokens: 0)                                 // t2, t3
            .Chunk("u0-a2", 1)                                            // t4, t5
            .Chunk("u0-a2", 2, isFinal: true)                            // t6, t7
            .Done("u0-a2", chunks: 3, tokens: 5, audioMs: 160);           // t8

        // Socket 1: utterance 0's first attempt was busy; utterance 1 failed for good.
        var refused = new StreamScript()
            .Error("u0-a1", ErrorCodes.Busy, ended: true)
            .Error("u1-a1", ErrorCodes.InternalError, ended: true);
        ContextAttempt[] attempts =
        [
            new("u0-a1", 1, 0, 1, null, ErrorCodes.Busy),
            new("u0-a2", 0, 0, 2, FirstTextTimestamp: 1, LoadOutcomes.Done),
            new("u1-a1", 1, 1, 1, null, ErrorCodes.InternalError),
        ];
        StreamVerification[] sockets =
        [
            StreamVerifier.Verify(completed.Frames, ["u0-a2"]),
            StreamVerifier.Verify(refused.Frames, ["u0-a1", "u1-a1"]),
        ];

        var r = LoadAnalysis.Analyze(2, attempts, sockets, Milliseconds);

        Assert.Equal((2, 1, 3, 1), (r.Utterances, r.Completed, r.Attempts, r.Retries));
        Assert.Equal(new Dictionary<string, int> { ["busy"] = 1, ["done"] = 1, ["internal_error"] = 1 }, r.Outcomes);
        Assert.Equal((1, 3.0), (r.TimeToFirstAudio.Count, r.TimeToFirstAudio.P50));
        Assert.Equal([2.0], [r.InterChunkGaps.P50]);
        Assert.Equal(1, r.InterChunkGaps.Count);
        Assert.Equal(0.16 / 0.007, r.RealTimeFactor.P50, 9);
        Assert.Equal(100, r.ServerTimeToFirstAudio.P50);
        Assert.Equal((3, 0.16), (r.Chunks, r.AudioSeconds));
        Assert.Equal(0, r.ViolationCount);
        Assert.Equal((0, 0), (r.BusyAfterStarted, r.BusyAfterAudio));
        Assert.False(r.Passed);
    }

    [Fact]
    public void Analyze_BusyAfterStartedAndAfterAudio_AreCountedApart()
    {
        var script = new StreamScript()
            .Started("u0-a1").Error("u0-a1", ErrorCodes.Busy, ended: true)
            .Started("u1-a1").Chunk("u1-a1", 0).Error("u1-a1", ErrorCodes.Busy, ended: true)
            .Error("u2-a1", ErrorCodes.Busy, ended: true);
        ContextAttempt[] attempts =
        [
            new("u0-a1", 0, 0, 1, 1, ErrorCodes.Busy),
            new("u1-a1", 0, 1, 1, 1, ErrorCodes.Busy),
            new("u2-a1", 0, 2, 1, null, ErrorCodes.Busy),
        ];

        var r = LoadAnalysis.Analyze(3, attempts, [StreamVerifier.Verify(script.Frames, ["u0-a1", "u1-a1", "u2-a1"])], Milliseconds);

        Assert.Equal((3, 2, 1), (r.Outcomes["busy"], r.BusyAfterStarted, r.BusyAfterAudio));
        // From the first text (at 1) to each refusal (frames at 2 and 6); the third attempt sent no text.
        Assert.Equal((2, 3.0, 5.0), (r.TimeToBusy.Count, r.TimeToBusy.P50, r.TimeToBusy.Max));
    }

    [Fact]
    public void Analyze_AViolation_FailsTheRunEvenWhenAllComplete()
    {
        var duplicated = new StreamScript().Started("u0").Chunk("u0", 0).Chunk("u0", 0).Chunk("u0", 1, isFinal: true).Done("u0", 2);
        ContextAttempt[] attempts = [new("u0", 0, 0, 1, 1, LoadOutcomes.Done)];

        var r = LoadAnalysis.Analyze(1, attempts, [StreamVerifier.Verify(duplicated.Frames, ["u0"])], Milliseconds);

        Assert.Equal(1, r.Completed);
        Assert.Equal(1, r.ViolationsByKind[nameof(ViolationKind.Duplicate)]);
        Assert.False(r.Passed);
        Assert.Single(r.Violations);
    }

    [Fact]
    public void Analyze_EveryUtteranceDoneAndVerified_Passes()
    {
        var script = new StreamScript().Complete("u0").Complete("u1");
        ContextAttempt[] attempts = [new("u0", 0, 0, 1, 1, LoadOutcomes.Done), new("u1", 0, 1, 1, 1, LoadOutcomes.Done)];

        var r = LoadAnalysis.Analyze(2, attempts, [StreamVerifier.Verify(script.Frames, ["u0", "u1"])], Milliseconds);

        Assert.True(r.Passed);
        Assert.Equal(2, r.TimeToFirstAudio.Count);
    }
}
