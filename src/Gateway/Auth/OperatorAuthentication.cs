using Microsoft.AspNetCore.Http;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Http;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Auth;

/// <summary>
/// Guards the operator paths (<c>/ops</c> and everything under it, the Orleans dashboard included) when any key is
/// configured: an operator key (<see cref="AuthOptions.OperatorKeys"/>) opens them; none or an unknown key is 401
/// <c>unauthorized</c>; a tenant's API key is 403 <c>forbidden</c>. A browser opens <c>/ops?api_key=KEY</c> once: the
/// key is then kept in an HttpOnly, same-site cookie scoped to <c>/ops</c>, so the pages' own requests (the
/// dashboard's scripts cannot add headers) carry it.
/// </summary>
internal static class OperatorAuthentication
{
    public const string PathPrefix = "/ops";
    public const string CookieName = "sawt_ops";

    /// <summary>Whether <paramref name="path"/> is an operator path (case-insensitive, so no spelling slips past).</summary>
    public static bool Guards(PathString path) => path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);

    public static async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var operators = http.RequestServices.GetRequiredService<OperatorKeys>();
        if (operators.IsOpen)
        {
            await next(http);
            return;
        }

        var presented = ApiKeyAuthentication.PresentedKey(http.Request);
        var fromCookie = presented is null && http.Request.Cookies.TryGetValue(CookieName, out presented);
        if (presented is null)
        {
            await RefuseAsync(http, ErrorCodes.Unauthorized, "no operator key", "An operator key is required: open /ops?api_key=KEY or send 'Authorization: Bearer KEY'.");
            return;
        }

        if (operators.IsOperator(presented))
        {
            if (!fromCookie)
            {
                http.Response.Cookies.Append(CookieName, presented, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = http.Request.IsHttps,
                    Path = PathPrefix,
                    IsEssential = true,
                });
            }

            await next(http);
            return;
        }

        if (http.RequestServices.GetRequiredService<ApiKeys>().TryGetKey(presented, out _))
        {
            await RefuseAsync(http, ErrorCodes.Forbidden, "tenant key on an operator path", "This key is a tenant's API key; the operator pages need an operator key.");
            return;
        }

        await RefuseAsync(http, ErrorCodes.Unauthorized, "unknown operator key", "The operator key is not valid.");
    }

    private static Task RefuseAsync(HttpContext http, string code, string reason, string message)
    {
        // The reason only; the presented key is never logged.
        GatewayLog.Unauthorized(HttpErrors.Logger(http), http.Request.Path.Value ?? string.Empty, reason);
        if (code == ErrorCodes.Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
        }

        return HttpErrors.WriteAsync(http, new ApiError(code, message, false));
    }
}
