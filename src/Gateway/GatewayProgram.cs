using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Sawt.Cluster;
using Sawt.Contracts;
using Sawt.Gateway.Diagnostics;
using Sawt.ServiceDefaults;
using Orleans.Dashboard;
using Sawt.Gateway.Operations;
using Sawt.Streaming;

namespace Sawt.Gateway;

/// <summary>
/// Standalone gateway: an Orleans client (a localhost silo, or the silos registered in Redis) plus the gateway's endpoints.
/// The embedded default instead co-hosts the gateway in the silo process via AddSawtGateway/MapSawtGateway.
/// </summary>
public static class GatewayProgram
{
    /// <summary>Where a standalone gateway listens unless configured (the embedded silo takes 5000).</summary>
    public const string DefaultUrl = "http://localhost:5080";

    public static async Task<int> Main(string[] args)
    {
        await using var app = Build(args);
        try
        {
            await app.RunAsync();
        }
        catch (OperationCanceledException)
        {
            // Stopped while still waiting for a silo: a normal shutdown, not a failure.
        }

        return 0;
    }

    /// <summary>Builds the host (tests start it on a free port).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Defaults in code, not appsettings.json: the silo project references this one, and two appsettings.json
        // files would collide when the silo is published.
        if (string.IsNullOrEmpty(builder.Configuration["Urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddSawtOperatorFilters();
        configure?.Invoke(builder);
        builder.AddSawtTelemetry("sawt-gateway");
        var orleansDashboard = OrleansDashboardEndpoints.IsEnabled(builder.Configuration);
        builder.UseOrleansClient(client =>
        {
            client.UseSawtClustering(builder.Configuration);
            client.AddActivityPropagation(); // A context's span reaches the session grain on another process.
            client.AddLongPollStreams(StreamNames.Provider);
            if (orleansDashboard)
            {
                client.AddDashboard(); // served under /ops/orleans; every silo adds it too
            }

            // Keep trying until a silo is up (gateways may start before silos); stopping the host ends the wait.
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                return true;
            });
        });
        builder.Services.AddSawtGateway(builder.Configuration);
        if (orleansDashboard)
        {
            builder.Services.AddOrleansDashboardEndpoints();
        }

        var app = builder.Build();
        app.MapSawtGateway();
        app.MapSawtMetrics();
        return app;
    }
}
