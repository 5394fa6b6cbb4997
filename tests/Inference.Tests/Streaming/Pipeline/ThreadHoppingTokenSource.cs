using Sawt.Inference.Streaming;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Tests.Streaming.Pipeline;

/// <summary>
/// Wraps another token source so that every read completes on a thread-pool thread, and only after the pipeline
/// has awaited it (the completion is queued behind the caller's current work on the caller's scheduler), as a grain
/// call's reply does. Records the scheduler each port call ran on.
/// </summary>
internal sealed class ThreadHoppingTokenSource(ISegmentTokenSource inner) : ISegmentTokenSource
{
    private readonly List<TaskScheduler> _schedulers = [];

    public IReadOnlyList<TaskScheduler> Schedulers
    {
        get
        {
            lock (_schedulers)
            {
                return [.. _schedulers];
            }
        }
    }

    public void Record()
    {
        lock (_schedulers)
        {
            _schedulers.Add(TaskScheduler.Current);
        }
    }

    public ISegmentTokenStream Start(SpeechSegment segment, bool continuation, CancellationToken cancellationToken)
    {
        Record();
        return new Stream(this, inner.Start(segment, continuation, cancellationToken));
    }

    private sealed class Stream(ThreadHoppingTokenSource owner, ISegmentTokenStream inner) : ISegmentTokenStream
    {
        public bool EndedWithStopToken => inner.EndedWithStopToken;

        public async ValueTask<bool> ReadAsync(List<long> tokens, CancellationToken cancellationToken)
        {
            owner.Record();
            var result = await inner.ReadAsync(tokens, cancellationToken);

            // Completed from the pool after the caller's scheduler has finished what it is doing now (the await).
            var reply = new TaskCompletionSource<bool>();
            _ = Task.Factory.StartNew(() => Task.Run(() => reply.SetResult(result), CancellationToken.None), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Current);
            return await reply.Task.ConfigureAwait(false);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
