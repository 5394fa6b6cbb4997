using Microsoft.AspNetCore.Http;
using Sawt.Gateway.Http;

namespace Sawt.Gateway.Security;

/// <summary>
/// Headers on every response: no MIME sniffing, no Referer (the demo page's URL may carry <c>?api_key=</c>), no
/// framing by any page (clickjacking), and a Content-Security-Policy: the demo page's own
/// (<see cref="DemoPage.ContentSecurityPolicy"/>), everything else <see cref="ApiPolicy"/> (JSON and audio load nothing).
/// </summary>
internal static class SecurityHeaders
{
    public const string ApiPolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The Orleans dashboard under <c>/ops/orleans/</c> (operator keys only): a third-party page with its own scripts,
    /// styles and inline code, so it may load from this origin and run inline code, and still nothing from elsewhere.
    /// </summary>
    public const string OrleansDashboardPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public const string ReferrerPolicy = "no-referrer";

    public static Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        // Set before the endpoint runs: every response path (errors, status-code pages, streams) keeps them.
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = ReferrerPolicy;
        headers.XFrameOptions = "DENY";
        // The operator page (/ops) sets its own policy, computed from its page as the demo page's is.
        headers.ContentSecurityPolicy = http.Request.Path == "/" ? DemoPage.ContentSecurityPolicy
            : http.Request.Path.StartsWithSegments("/ops/orleans", StringComparison.OrdinalIgnoreCase) ? OrleansDashboardPolicy
            : ApiPolicy;
        return next(http);
    }
}
