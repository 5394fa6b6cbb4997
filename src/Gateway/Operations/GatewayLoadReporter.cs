using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sawt.Contracts.Operations;
using Sawt.Gateway.Diagnostics;

namespace Sawt.Gateway.Operations;

/// <summary>
/// Reports this gateway's sockets and sessions to the operator view every <see cref="Period"/>, so any gateway's
/// <c>/ops</c> shows every gateway. A failed report (no silo yet, a silo restarting) is logged at Debug and retried
/// on the next tick: the dashboard is never a reason for the gateway to fail.
/// </summary>
internal sealed class GatewayLoadReporter(IClusterHealthSource source, GatewayActivity activity, TimeProvider time, ILogger<GatewayLoadReporter> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await source.ReportGatewayAsync(
                    new GatewayLoadReport(activity.Id, activity.OpenSockets, activity.ActiveSessions, time.GetUtcNow()),
                    stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Loop edge: the next tick tries again.
                GatewayLog.GatewayReportFailed(logger, exception);
            }

            try
            {
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
