using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Sawt.Grains.Hosting;

namespace Sawt.Silo;

/// <summary>
/// Health probes of a silo that does not co-host the gateway (which otherwise answers them): <c>/healthz</c> is the
/// process alive; <c>/readyz</c> is this silo's engines loaded and warmed up and the host not stopping, so a rollout
/// waits for a new silo's workers before it stops an old one.
/// </summary>
internal static class SiloProbeEndpoints
{
    public static IEndpointRouteBuilder MapSiloProbeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Json(new Dictionary<string, string> { ["status"] = "ok" }));
        endpoints.MapGet("/readyz", (WorkerEngines engines, IHostApplicationLifetime lifetime) =>
        {
            var state = lifetime.ApplicationStopping.IsCancellationRequested ? "stopping"
                : engines.IsReady ? "ready"
                : engines.Ready.IsFaulted ? "engine_failed"
                : "loading";
            return Results.Json(new Dictionary<string, string> { ["status"] = state },
                statusCode: state == "ready" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }
}
