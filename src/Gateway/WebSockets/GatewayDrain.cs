using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Sawt.Gateway.WebSockets;

/// <summary>
/// The gateway's drain on shutdown. When the host begins to stop (its stopping signal, or this service's
/// <see cref="StoppingAsync"/>, whichever comes first) every socket is told to drain through <see cref="Draining"/>;
/// the host then waits until each socket has closed, at most DrainTimeout plus two CloseTimeouts. Lifecycle services
/// stop in reverse order of registration, so a co-hosted silo (registered first) drains its sessions only after the
/// gateway's sockets have stopped taking contexts, and the web server stops only after both.
/// </summary>
internal sealed class GatewayDrain(IOptions<GatewayOptions> options, IHostApplicationLifetime lifetime, TimeProvider time)
    : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _draining = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource? _idle;
    private CancellationTokenRegistration _onStopping;
    private int _sockets;

    /// <summary>Cancelled when the gateway starts draining: sockets refuse new work, then close with 1001.</summary>
    public CancellationToken Draining => _draining.Token;

    public bool IsDraining => _draining.IsCancellationRequested;

    /// <summary>Counts an open socket until the returned lease is disposed.</summary>
    public IDisposable Track()
    {
        lock (_gate)
        {
            _sockets++;
        }

        return new Lease(this);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A SIGTERM signals stopping before the host calls StoppingAsync: the sockets start draining at once.
        _onStopping = lifetime.ApplicationStopping.Register(() => _draining.Cancel());
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        Task idle;
        lock (_gate)
        {
            _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_sockets == 0)
            {
                _idle.TrySetResult();
            }

            idle = _idle.Task;
        }

        await _draining.CancelAsync();
        var bound = options.Value.DrainTimeout + (2 * options.Value.CloseTimeout);
        await idle.WaitAsync(bound, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _onStopping.Dispose();
        _draining.Dispose();
    }

    private void Release()
    {
        lock (_gate)
        {
            if (--_sockets == 0)
            {
                _idle?.TrySetResult();
            }
        }
    }

    private sealed class Lease(GatewayDrain drain) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                drain.Release();
            }
        }
    }
}
