using Sawt.Contracts.Sessions;

namespace Sawt.Gateway.Backend;

/// <summary>
/// One started session. <see cref="Events"/> yields its events in sequence order through a bounded buffer and
/// ends after the terminal event (<see cref="SessionCompleted"/> or <see cref="SessionFailed"/>).
/// Disposing unsubscribes; it does not cancel the session (call <see cref="CancelAsync"/> for that).
/// </summary>
public interface ISessionHandle : IAsyncDisposable
{
    /// <summary>The session grain's key.</summary>
    Guid SessionId { get; }

    /// <summary>The session's events; enumerate once.</summary>
    IAsyncEnumerable<SessionEvent> Events { get; }

    Task AppendTextAsync(string text, CancellationToken cancellationToken = default);

    Task FlushAsync(CancellationToken cancellationToken = default);

    Task CompleteAsync(CancellationToken cancellationToken = default);

    Task CancelAsync(CancellationToken cancellationToken = default);
}
