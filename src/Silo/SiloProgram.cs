using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Orleans.Dashboard;
using Sawt.Cluster;
using Sawt.Gateway;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Operations;
using Sawt.Grains.Hosting;
using Sawt.ServiceDefaults;

namespace Sawt.Silo;

/// <summary>
/// The silo process. By default it is the whole embedded cluster: one silo (localhost clustering, in-memory
/// voices), the GPU workers on the synthetic bundle unless <c>Sawt:Workers:BundlePath</c> names a real one, and the
/// gateway on the same Kestrel server. With <c>Sawt:Redis:ConnectionString</c> it joins a Redis cluster instead.
/// </summary>
public static class SiloProgram
{
    public static async Task<int> Main(string[] args)
    {
        var app = Build(args);
        await app.RunAsync();
        return 0;
    }

    /// <summary>Builds the host (tests start it on a free port).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddSawtOperatorFilters();
        configure?.Invoke(builder);
        builder.AddSawtTelemetry("sawt-silo");
        var cluster = SawtClusterOptions.From(builder.Configuration);
        var orleansDashboard = OrleansDashboardEndpoints.IsEnabled(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            silo.UseSawtClustering(builder.Configuration);
            silo.AddActivityPropagation(); // One trace per utterance across gateway, session and workers.
            silo.AddSawt(builder.Configuration);
            if (orleansDashboard)
            {
                silo.AddDashboard(); // grain detail for operators, shown by the gateways under /ops/orleans
            }
        });

        if (cluster.EmbeddedGateway)
        {
            builder.Services.AddSawtGateway(builder.Configuration);
            if (orleansDashboard)
            {
                builder.Services.AddOrleansDashboardEndpoints();
            }
        }

        var app = builder.Build();
        if (cluster.EmbeddedGateway)
        {
            app.MapSawtGateway();
        }
        else
        {
            app.MapSiloProbeEndpoints();
        }

        app.MapSawtMetrics();
        return app;
    }
}
