using Sawt.Contracts.Sessions;
using Sawt.Gateway.Backend;

namespace Sawt.Gateway.Operations;

/// <summary>A session handle that stops counting as running when it is disposed (see <see cref="GatewayActivity.Track"/>).</summary>
internal sealed class CountedSessionHandle(ISessionHandle inner, IDisposable counted) : ISessionHandle
{
    public Guid SessionId => inner.SessionId;

    public IAsyncEnumerable<SessionEvent> Events => inner.Events;

    public Task AppendTextAsync(string text, CancellationToken cancellationToken = default) => inner.AppendTextAsync(text, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public Task CompleteAsync(CancellationToken cancellationToken = default) => inner.CompleteAsync(cancellationToken);

    public Task CancelAsync(CancellationToken cancellationToken = default) => inner.CancelAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await inner.DisposeAsync();
        }
        finally
        {
            counted.Dispose();
        }
    }
}
