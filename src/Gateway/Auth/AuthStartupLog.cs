using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sawt.Gateway.Diagnostics;

namespace Sawt.Gateway.Auth;

/// <summary>Says once at start whether the API is open or which keys guard it (counts only, never keys).</summary>
internal sealed class AuthStartupLog(ApiKeys keys, ILogger<AuthStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (keys.IsOpen)
        {
            GatewayLog.ApiOpen(logger);
        }
        else
        {
            GatewayLog.ApiKeysConfigured(logger, keys.KeyCount, keys.TenantCount);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
