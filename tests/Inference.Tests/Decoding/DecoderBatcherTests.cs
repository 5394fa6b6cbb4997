using Microsoft.Extensions.Time.Testing;
using Sawt.Inference.Bundles;
using Sawt.Inference.Decoding;

namespace Sawt.Inference.Tests.Decoding;

/// <summary>
/// The batcher's loop with a fake clock and, where a test must hold a batch mid-run, a gated graph call. Nothing waits
/// on real time: each await is on a result the test itself releases, bounded by <see cref="Bound"/>.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DecoderBatcherTests(DecoderVariantsFixture variants) : IClassFixture<DecoderVariantsFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(5);

    /// <summary>The longest wait allowed, on a fake clock these tests never advance that far: only a full batch runs.</summary>
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(1);

    private SpeechDecoder Decoder => variants.Engine.Decoder;

    [Fact]
    public async Task DecodeAsync_FullBatchFromSeveralVoices_OneGraphCallWithEachRowAsDecodedAlone()
    {
        var calls = new List<int>();
        var time = new FakeTimeProvider();
        await using var batcher = new DecoderBatcher(Counting(calls), new DecoderBatchingOptions { MaxBatchSize = 3, MaxBatchWait = LongWait }, time, null);
        var rows = new[]
        {
            (Voice: variants.Engine.DefaultVoice, Tokens: new long[] { 11, 22, 33, 44 }),
            (Voice: variants.OtherVoice, Tokens: new long[] { 55, 66, 77, 88 }),
            (Voice: variants.Engine.DefaultVoice, Tokens: new long[] { 99, 111, 222, 333 }),
        };

        // The clock never moves: only a full batch can run.
        var audio = await Task.WhenAll(rows.Select(r => batcher.DecodeAsync(r.Voice, r.Tokens, Decoder.Default, TestContext.Current.CancellationToken))).WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal([3], calls);
        for (var r = 0; r < rows.Length; r++)
        {
            Assert.Equal(Decoder.Decode(rows[r].Voice, rows[r].Tokens, TestContext.Current.CancellationToken), audio[r]);
        }

        Assert.Equal(1, batcher.Load.Batches);
        Assert.Equal(3, batcher.Load.Rows);
    }

    [Fact]
    public async Task DecodeAsync_LoneChunk_RunsOnceItsWaitHasPassed()
    {
        var calls = new List<int>();
        var time = new FakeTimeProvider();
        await using var batcher = new DecoderBatcher(Counting(calls), new DecoderBatchingOptions { MaxBatchSize = 8, MaxBatchWait = Wait }, time, null);

        var decoding = batcher.DecodeAsync(variants.Engine.DefaultVoice, [1, 2, 3], Decoder.Default, TestContext.Current.CancellationToken);
        time.Advance(Wait);
        var audio = await decoding.WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(3 * ChatterboxConstants.SamplesPerToken, audio.Length);
        Assert.Equal([1], calls);
    }

    [Fact]
    public async Task DecodeAsync_OtherVariants_NeverShareACall()
    {
        var calls = new List<int>();
        var time = new FakeTimeProvider();
        await using var batcher = new DecoderBatcher(Counting(calls), new DecoderBatchingOptions { MaxBatchSize = 2, MaxBatchWait = Wait }, time, null);
        var fast = Decoder.Select(DecoderQuality.Fast);
        var best = Decoder.Select(DecoderQuality.Best);

        var a = batcher.DecodeAsync(variants.Engine.DefaultVoice, [1, 2, 3], fast, TestContext.Current.CancellationToken);
        var b = batcher.DecodeAsync(variants.Engine.DefaultVoice, [1, 2, 3], best, TestContext.Current.CancellationToken);
        time.Advance(Wait);
        var audio = await Task.WhenAll(a, b).WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal([1, 1], calls);
        Assert.Equal(Decoder.Decode(variants.Engine.DefaultVoice, [1, 2, 3], fast, TestContext.Current.CancellationToken), audio[0]);
        Assert.Equal(Decoder.Decode(variants.Engine.DefaultVoice, [1, 2, 3], best, TestContext.Current.CancellationToken), audio[1]);
    }

    [Fact]
    public async Task DecodeAsync_MemberCancelledWhileWaiting_CancelledAtOnceAndTheOthersStillDecode()
    {
        var time = new FakeTimeProvider();
        await using var batcher = new DecoderBatcher(Decoder.DecodeBatch, new DecoderBatchingOptions { MaxBatchSize = 3, MaxBatchWait = Wait }, time, null);
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var cancelled = batcher.DecodeAsync(variants.Engine.DefaultVoice, [4, 5, 6], Decoder.Default, leaving.Token);
        var staying = batcher.DecodeAsync(variants.OtherVoice, [7, 8, 9], Decoder.Default, TestContext.Current.CancellationToken);
        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Bound, TestContext.Current.CancellationToken));
        time.Advance(Wait);
        var audio = await staying.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(Decoder.Decode(variants.OtherVoice, [7, 8, 9], TestContext.Current.CancellationToken), audio);
    }

    [Fact]
    public async Task DecodeAsync_MemberCancelledWhileItsBatchRuns_OthersGetTheirAudio()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        float[][] Gated(IReadOnlyList<DecoderRow> rows, LoadedDecoder decoder, CancellationToken token)
        {
            entered.TrySetResult();
            gate.Task.Wait(token);
            return Decoder.DecodeBatch(rows, decoder, token);
        }

        await using var batcher = new DecoderBatcher(Gated, new DecoderBatchingOptions { MaxBatchSize = 2, MaxBatchWait = LongWait }, new FakeTimeProvider(), null);
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var cancelled = batcher.DecodeAsync(variants.Engine.DefaultVoice, [4, 5, 6], Decoder.Default, leaving.Token);
        var staying = batcher.DecodeAsync(variants.OtherVoice, [7, 8, 9], Decoder.Default, TestContext.Current.CancellationToken);
        await entered.Task.WaitAsync(Bound, TestContext.Current.CancellationToken);

        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Bound, TestContext.Current.CancellationToken));
        gate.SetResult();

        var audio = await staying.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(Decoder.Decode(variants.OtherVoice, [7, 8, 9], TestContext.Current.CancellationToken), audio);
    }

    [Fact]
    public async Task DecodeAsync_FailedCall_FailsItsBatchOnlyAndTheLoopGoesOn()
    {
        var failNext = true;
        float[][] FailingOnce(IReadOnlyList<DecoderRow> rows, LoadedDecoder decoder, CancellationToken token)
        {
            if (failNext)
            {
                failNext = false;
                throw new InferenceException(InferenceErrorCode.RuntimeFailure, "scripted failure");
            }

            return Decoder.DecodeBatch(rows, decoder, token);
        }

        await using var batcher = new DecoderBatcher(FailingOnce, new DecoderBatchingOptions { MaxBatchSize = 1, MaxBatchWait = TimeSpan.Zero, MaxConcurrentBatches = 1 }, new FakeTimeProvider(), null);
        var first = batcher.DecodeAsync(variants.Engine.DefaultVoice, [1, 2], Decoder.Default, TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<InferenceException>(() => first.WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Equal(InferenceErrorCode.RuntimeFailure, error.Code);

        var second = await batcher.DecodeAsync(variants.Engine.DefaultVoice, [1, 2], Decoder.Default, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(2 * ChatterboxConstants.SamplesPerToken, second.Length);
    }

    [Fact]
    public async Task DecodeAsync_OverTheQueueBound_Busy()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        float[][] Held(IReadOnlyList<DecoderRow> rows, LoadedDecoder decoder, CancellationToken token)
        {
            gate.Task.Wait(token);
            return Decoder.DecodeBatch(rows, decoder, token);
        }

        await using var batcher = new DecoderBatcher(Held, new DecoderBatchingOptions { MaxBatchSize = 1, MaxQueuedRows = 2, MaxBatchWait = TimeSpan.Zero }, new FakeTimeProvider(), null);
        var held = new[]
        {
            batcher.DecodeAsync(variants.Engine.DefaultVoice, [1], Decoder.Default, TestContext.Current.CancellationToken),
            batcher.DecodeAsync(variants.Engine.DefaultVoice, [2], Decoder.Default, TestContext.Current.CancellationToken),
        };

        // Refused on the caller's thread, before anything is queued.
        var error = Assert.Throws<InferenceException>(() => { _ = batcher.DecodeAsync(variants.Engine.DefaultVoice, [3], Decoder.Default, TestContext.Current.CancellationToken); });
        Assert.Equal(InferenceErrorCode.Busy, error.Code);
        gate.SetResult();
        await Task.WhenAll(held).WaitAsync(Bound, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task DecodeAsync_OneChunkAfterAnotherAtTheQueueBound_NeverBusy()
    {
        // A session's next chunk follows its last one's audio: the last must already be counted out by then.
        await using var batcher = new DecoderBatcher(Decoder.DecodeBatch, new DecoderBatchingOptions { MaxBatchSize = 1, MaxQueuedRows = 1, MaxBatchWait = TimeSpan.Zero }, new FakeTimeProvider(), null);
        for (var i = 0; i < 5; i++)
        {
            var audio = await batcher.DecodeAsync(variants.Engine.DefaultVoice, [i, i + 1], Decoder.Default, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
            Assert.Equal(2 * ChatterboxConstants.SamplesPerToken, audio.Length);
        }
    }

    private Func<IReadOnlyList<DecoderRow>, LoadedDecoder, CancellationToken, float[][]> Counting(List<int> calls) => (rows, decoder, token) =>
    {
        lock (calls)
        {
            calls.Add(rows.Count);
        }

        return Decoder.DecodeBatch(rows, decoder, token);
    };
}
