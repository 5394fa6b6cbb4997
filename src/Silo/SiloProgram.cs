using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Sawt.Gateway;
using Sawt.Gateway.Diagnostics;
using Sawt.Grains.Hosting;

namespace Sawt.Silo;

/// <summary>
/// The silo process. By default it is the whole embedded cluster: one silo (localhost clustering, memory
/// streams, in-memory voices), the GPU workers on the synthetic bundle unless <c>Sawt:Workers:BundlePath</c>
/// names a real one, and the gateway on the same Kestrel server.
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
        var cluster = builder.Configuration.GetSection(SawtClusterOptions.SectionName).Get<SawtClusterOptions>() ?? new SawtClusterOptions();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort);
            silo.AddSawt(builder.Configuration);
        });

        if (cluster.EmbeddedGateway)
        {
            builder.Services.AddSawtGateway(builder.Configuration);
        }

        var app = builder.Build();
        if (cluster.EmbeddedGateway)
        {
            app.MapSawtGateway();
        }

        return app;
    }
}
