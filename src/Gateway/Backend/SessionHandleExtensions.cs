using Microsoft.Extensions.Logging;
using Sawt.Gateway.Diagnostics;

namespace Sawt.Gateway.Backend;

/// <summary>Session cancellation where the caller is already ending its request or context.</summary>
internal static class SessionHandleExtensions
{
    /// <summary>
    /// Cancels the session, waiting at most <paramref name="timeout"/>. A failure (the cluster unreachable) is
    /// logged, not thrown: the caller is already on its way out and has nothing better to do with it.
    /// </summary>
    public static async Task CancelQuietlyAsync(this ISessionHandle handle, TimeSpan timeout, ILogger logger)
    {
        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            await handle.CancelAsync(deadline.Token);
        }
        catch (Exception exception)
        {
            GatewayLog.BackendCallFailed(logger, "cancel", exception);
        }
    }
}
