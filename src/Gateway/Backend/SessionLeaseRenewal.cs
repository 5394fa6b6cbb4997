using Microsoft.Extensions.Logging;
using Sawt.Gateway.Diagnostics;

namespace Sawt.Gateway.Backend;

/// <summary>
/// Renews a session's lease (<c>SessionStart.Lease</c>) every period while this gateway listens to it, so the session
/// ends itself when the gateway is gone (killed, cut off) instead of speaking on for nobody. A failed renewal is only
/// logged: the next one may succeed, and a lost session is the stream liveness watch's to find.
/// </summary>
internal sealed class SessionLeaseRenewal(Guid sessionId, Func<Task> renew, TimeSpan period, TimeProvider time, ILogger logger)
{
    /// <summary>Renews every <c>period</c> until <paramref name="stop"/> says the session ended or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(Func<bool> stop, CancellationToken cancellationToken)
    {
        await Task.Yield(); // The caller goes on; renewals run beside the stream callbacks.
        while (true)
        {
            await Task.Delay(period, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (cancellationToken.IsCancellationRequested || stop())
            {
                return;
            }

            try
            {
                // Bounded, so one stuck call cannot hold back the renewals after it.
                await renew().WaitAsync(period, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Loop edge: the next period tries again.
                GatewayLog.LeaseRenewalFailed(logger, sessionId, exception);
            }
        }
    }
}
