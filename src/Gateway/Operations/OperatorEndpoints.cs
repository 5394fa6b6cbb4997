using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sawt.Gateway.Http;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Operations;

/// <summary>
/// The operator dashboard: <c>GET /ops</c> (a static page, no external assets: it polls the JSON and draws its own
/// plots) and <c>GET /ops/api/cluster</c> (the whole cluster from <see cref="IClusterHealthSource"/>). Both sit
/// behind <see cref="Auth.OperatorAuthentication"/>.
/// </summary>
internal static class OperatorEndpoints
{
    public const string PagePath = "/ops";
    public const string ClusterPath = "/ops/api/cluster";

    /// <summary>How long the cluster may take to answer before the page is told it is unavailable.</summary>
    private static readonly TimeSpan SnapshotTimeout = TimeSpan.FromSeconds(5);

    // Enums by name (worker kind "T3", not 0): the page and operators' scripts read them.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PagePath, ServePageAsync).ExcludeFromDescription();
        endpoints.MapGet(ClusterPath, ClusterAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task ClusterAsync(HttpContext http, IClusterHealthSource source)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(SnapshotTimeout);
        Contracts.Operations.ClusterHealthSnapshot snapshot;
        try
        {
            snapshot = await source.GetSnapshotAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException
            || (exception is OperationCanceledException && !http.RequestAborted.IsCancellationRequested))
        {
            // No silo reachable (yet): the page shows "cluster unavailable" and keeps polling.
            await HttpErrors.WriteAsync(http, new ApiError(ErrorCodes.Unavailable, "The cluster did not answer for its operator view.", true, 1));
            return;
        }

        http.Response.Headers.CacheControl = "no-store";
        await Results.Json(snapshot, Json).ExecuteAsync(http);
    }

    private static async Task ServePageAsync(HttpContext http)
    {
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        // Its inline script and style by hash, its polls to this origin (SecurityHeaders gave it the API's policy).
        http.Response.Headers.ContentSecurityPolicy = OpsPage.Value.Policy;
        await http.Response.Body.WriteAsync(OpsPage.Value.Html, http.RequestAborted);
    }

    private static readonly Lazy<(byte[] Html, string Policy)> OpsPage = new(() =>
    {
        using var page = Assembly.GetExecutingAssembly().GetManifestResourceStream("Sawt.Gateway.Ops.index.html")
            ?? throw new InvalidOperationException("The operator page resource is missing from the assembly.");
        using var copy = new MemoryStream();
        page.CopyTo(copy);
        var html = copy.ToArray();
        return (html, DemoPage.BuildPolicy(System.Text.Encoding.UTF8.GetString(html)));
    });
}
