using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Sawt.Contracts.Voices;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Http;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Auth;

/// <summary>
/// Middleware in front of every path but the probes, the metrics and the demo page (fail closed: a path no endpoint serves, or
/// one spelled so that it slips past a prefix, is refused too): with keys configured, a request must
/// present one as <c>Authorization: Bearer KEY</c>, <c>xi-api-key: KEY</c> or <c>?api_key=KEY</c> (for WebSocket
/// clients that cannot set headers), else it is answered 401 <c>unauthorized</c> with <c>WWW-Authenticate: Bearer</c>
/// (before any WebSocket upgrade). The key's tenant and limits are then the request's (<see cref="GetApiKey"/>). Probes and the
/// demo page stay open; with no keys everything is open as <see cref="VoiceKeys.OpenTenant"/>.
/// </summary>
internal static class ApiKeyAuthentication
{
    public const string ApiKeyHeader = "xi-api-key";
    public const string ApiKeyQuery = "api_key";

    private const string BearerPrefix = "Bearer ";
    private static readonly object KeyItem = new();
    // The scrape endpoint is open like the probes: Prometheus in the cluster scrapes without a key, and metrics carry
    // no text or tenant data.
    private static readonly string[] OpenPaths = ["/", ProbeEndpoints.PlaygroundScriptPath, "/healthz", "/readyz", "/metrics"];

    public static async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (OperatorAuthentication.Guards(http.Request.Path))
        {
            // Operator pages take operator keys, not tenant keys.
            await OperatorAuthentication.InvokeAsync(http, next);
            return;
        }

        var keys = http.RequestServices.GetRequiredService<ApiKeys>();
        if (keys.IsOpen || IsOpenPath(http.Request.Path))
        {
            await next(http);
            return;
        }

        var presented = PresentedKey(http.Request);
        if (presented is null)
        {
            await RefuseAsync(http, "no API key", "An API key is required: send 'Authorization: Bearer KEY', an 'xi-api-key' header or '?api_key=KEY'.", "Bearer");
            return;
        }

        if (!keys.TryGetKey(presented, out var apiKey))
        {
            await RefuseAsync(http, "unknown API key", "The API key is not valid.", "Bearer error=\"invalid_token\"");
            return;
        }

        http.Items[KeyItem] = apiKey;
        await next(http);
    }

    /// <summary>The caller's tenant: the key's, or <see cref="VoiceKeys.OpenTenant"/> when the API is open.</summary>
    public static string GetTenant(this HttpContext http) => http.GetApiKey().Tenant;

    /// <summary>The caller's key (tenant and limits), or <see cref="ApiKey.Open"/> when the API is open.</summary>
    public static ApiKey GetApiKey(this HttpContext http)
    {
        if (http.Items.TryGetValue(KeyItem, out var item) && item is ApiKey apiKey)
        {
            return apiKey;
        }

        // Fail closed: an API path that somehow skipped the middleware must not act as the open tenant.
        return http.RequestServices.GetRequiredService<ApiKeys>().IsOpen
            ? ApiKey.Open
            : throw new InvalidOperationException("No authenticated tenant on a request while API keys are configured.");
    }

    /// <summary>
    /// The key a request presented, or <see cref="ApiKey.Open"/> when none was needed (the API is open, or an open path
    /// such as a probe): the partition of the per-key rate limiter, which sees every request.
    /// </summary>
    public static ApiKey ApiKeyOrOpen(this HttpContext http) =>
        http.Items.TryGetValue(KeyItem, out var item) && item is ApiKey apiKey ? apiKey : ApiKey.Open;

    /// <summary>The key the request presents, in order: Bearer token, <c>xi-api-key</c> header, <c>api_key</c> query; null when none.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) && authorization.Length > BearerPrefix.Length)
        {
            return authorization[BearerPrefix.Length..].Trim();
        }

        if (request.Headers[ApiKeyHeader].ToString() is { Length: > 0 } header)
        {
            return header.Trim();
        }

        return request.Query[ApiKeyQuery].ToString() is { Length: > 0 } query ? query : null;
    }

    private static bool IsOpenPath(PathString path) =>
        OpenPaths.Any(open => string.Equals(path.Value, open, StringComparison.OrdinalIgnoreCase));

    private static Task RefuseAsync(HttpContext http, string reason, string message, string challenge)
    {
        // The reason only; the presented key is never logged.
        GatewayLog.Unauthorized(HttpErrors.Logger(http), http.Request.Path.Value ?? string.Empty, reason);
        http.Response.Headers.WWWAuthenticate = challenge;
        return HttpErrors.WriteAsync(http, new ApiError(ErrorCodes.Unauthorized, message, false));
    }
}
