using Sawt.Gateway.Backend;

namespace Sawt.Gateway.Operations;

/// <summary>This gateway's open sockets and running sessions, counted where they open and close (thread-safe).</summary>
public sealed class GatewayActivity
{
    private int _sockets;
    private int _sessions;

    /// <summary>This gateway's id in the operator view: host name and process id, fixed while it runs.</summary>
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    public int OpenSockets => Volatile.Read(ref _sockets);

    public int ActiveSessions => Volatile.Read(ref _sessions);

    /// <summary>Counts a socket as open until the returned value is disposed.</summary>
    public IDisposable SocketOpened()
    {
        Interlocked.Increment(ref _sockets);
        return new Release(() => Interlocked.Decrement(ref _sockets));
    }

    /// <summary>Counts a started session as running until <paramref name="handle"/>'s wrapper is disposed.</summary>
    public ISessionHandle Track(ISessionHandle handle)
    {
        Interlocked.Increment(ref _sessions);
        return new CountedSessionHandle(handle, new Release(() => Interlocked.Decrement(ref _sessions)));
    }

    /// <summary>Runs its action once, however often it is disposed.</summary>
    private sealed class Release(Action action) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                action();
            }
        }
    }
}
