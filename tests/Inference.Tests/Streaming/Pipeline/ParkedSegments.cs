using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Tests.Streaming.Pipeline;

/// <summary>
/// A segment sequence whose every MoveNextAsync waits until the test calls <see cref="EndTheWait"/> (as a text source
/// does once it sees its cancel); records whether it was disposed while a move was still in flight.
/// </summary>
internal sealed class ParkedSegments : IAsyncEnumerable<SpeechSegment>, IAsyncEnumerator<SpeechSegment>
{
    private readonly TaskCompletionSource<bool> _move = new();

    public CancellationToken Token { get; private set; }

    public bool Disposed { get; private set; }

    public bool DisposedWhileMoving { get; private set; }

    public SpeechSegment Current => throw new InvalidOperationException("No segment ever arrives here.");

    public IAsyncEnumerator<SpeechSegment> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        Token = cancellationToken;
        return this;
    }

    public ValueTask<bool> MoveNextAsync() => new(_move.Task);

    public void EndTheWait() => _move.TrySetCanceled(Token);

    public ValueTask DisposeAsync()
    {
        DisposedWhileMoving = !_move.Task.IsCompleted;
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
