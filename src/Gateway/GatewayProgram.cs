using Microsoft.AspNetCore.Builder;
using Sawt.Contracts;

namespace Sawt.Gateway;

/// <summary>
/// Standalone gateway: an Orleans client (localhost clustering, memory streams) plus the gateway's endpoints.
/// The embedded default instead co-hosts the gateway in the silo process via AddSawtGateway/MapSawtGateway.
/// </summary>
public static class GatewayProgram
{
    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering();
            client.AddMemoryStreams(StreamNames.Provider);
        });
        builder.Services.AddSawtGateway(builder.Configuration);
        await using var app = builder.Build();
        app.MapSawtGateway();
        await app.RunAsync();
        return 0;
    }
}
