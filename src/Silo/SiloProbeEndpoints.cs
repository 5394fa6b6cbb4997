using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sawt.Cluster;
using Sawt.Grains.Hosting;

namespace Sawt.Silo;

/// <summary>
/// Health probes of a silo that does not co-host the gateway (which otherwise answers them): <c>/healthz</c> is the
/// process alive (liveness: nothing it depends on is checked, so an outage elsewhere never restarts it);
/// <c>/readyz</c> is this silo's engines loaded and warmed up, Redis reachable when the cluster runs on it, and the
/// silo neither draining nor stopping, so a rollout waits for a new silo's workers before it stops an old one.
/// </summary>
internal static class SiloProbeEndpoints
{
    /// <summary>How long readiness waits for Redis to answer before it calls it unreachable.</summary>
    private static readonly TimeSpan RedisProbeTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapSiloProbeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Json(new Dictionary<string, string> { ["status"] = "ok" }));
        endpoints.MapGet("/readyz", async (HttpContext http, WorkerEngines engines, SiloDrain drain, IHostApplicationLifetime lifetime) =>
        {
            var state = drain.IsDraining ? "draining"
                : lifetime.ApplicationStopping.IsCancellationRequested ? "stopping"
                : !engines.IsReady ? (engines.Ready.IsFaulted ? "engine_failed" : "loading")
                : http.RequestServices.GetService<SawtRedis>() is { } redis && !await redis.IsReachableAsync(RedisProbeTimeout, http.RequestAborted) ? "redis_unreachable"
                : "ready";
            return Results.Json(new Dictionary<string, string> { ["status"] = state },
                statusCode: state == "ready" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }
}
