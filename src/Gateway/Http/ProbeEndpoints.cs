using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sawt.Cluster;
using Sawt.Gateway.Audio;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;
using Sawt.Gateway.WebSockets;

namespace Sawt.Gateway.Http;

/// <summary>
/// Health probes (<c>/healthz</c> liveness, <c>/readyz</c> readiness) and the playground at <c>/</c> with its script
/// <c>/playground.js</c> (the TypeScript client and page, bundled from clients/js).
/// </summary>
internal static class ProbeEndpoints
{
    /// <summary>The playground's script; open like the page itself, which cannot send a key for it.</summary>
    public const string PlaygroundScriptPath = "/playground.js";

    public static IEndpointRouteBuilder MapProbeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", ServeDemoPageAsync).ExcludeFromDescription();
        endpoints.MapGet(PlaygroundScriptPath, (HttpContext http) => ServeResourceAsync(http, "Sawt.Gateway.Demo.playground.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        endpoints.MapGet("/healthz", () => Results.Json(new Dictionary<string, string> { ["status"] = "ok" }));
        endpoints.MapGet("/readyz", ReadyAsync);
        return endpoints;
    }

    /// <summary>How long readiness waits for Redis to answer before it calls it unreachable.</summary>
    private static readonly TimeSpan RedisProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Ready: not stopping (a draining gateway takes no new sockets or contexts), Redis reachable when the cluster runs
    /// on it, and a ready T3 and decoder worker somewhere in the cluster. Liveness (<c>/healthz</c>) checks none of it.
    /// </summary>
    private static async Task ReadyAsync(HttpContext http, ISessionBackend backend, AudioEncoders encoders, GatewayDrain drain, IHostApplicationLifetime lifetime)
    {
        if (drain.IsDraining || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await HttpErrors.WriteAsync(http, new ApiError(ErrorCodes.ShuttingDown, "This gateway is shutting down.", true, 1));
            return;
        }

        if (http.RequestServices.GetService<SawtRedis>() is { } redis && !await redis.IsReachableAsync(RedisProbeTimeout, http.RequestAborted))
        {
            await HttpErrors.WriteAsync(http, new ApiError(ErrorCodes.NotReady, "Redis, which the cluster runs on, does not answer.", true, 1));
            return;
        }

        bool ready;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            ready = await backend.IsReadyAsync(timeout.Token);
        }
        catch (Exception exception)
        {
            // Not ready is the answer here, not a failure: a starting cluster is expected to fail this check.
            GatewayLog.ReadinessCheckFailed(HttpErrors.Logger(http), exception);
            ready = false;
        }

        if (!ready)
        {
            await HttpErrors.WriteAsync(http, new ApiError(ErrorCodes.NotReady, "No ready T3 and decoder workers yet.", true, 1));
            return;
        }

        // The encoder is a detail, not a condition: without ffmpeg every format but mp3, Ogg Opus, AAC and FLAC works.
        await Results.Json(new Dictionary<string, string> { ["status"] = "ready", ["audio_encoder"] = encoders.Status }).ExecuteAsync(http);
    }

    private static async Task ServeResourceAsync(HttpContext http, string resource, string contentType)
    {
        await using var content = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The resource {resource} is missing from the assembly.");
        http.Response.ContentType = contentType;
        await content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private static async Task ServeDemoPageAsync(HttpContext http)
    {
        // The page as read once by DemoPage, whose Content-Security-Policy was computed from these very bytes.
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.Body.WriteAsync(DemoPage.Html, http.RequestAborted);
    }
}
