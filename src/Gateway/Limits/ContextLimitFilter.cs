using Microsoft.AspNetCore.Http;
using Sawt.Gateway.Auth;

namespace Sawt.Gateway.Limits;

/// <summary>
/// Endpoint filter of the HTTP synthesis endpoints: each request holds one of its key's running contexts
/// (<see cref="KeyLimits.StartContext"/>) while it runs, so HTTP syntheses and WebSocket contexts share one budget.
/// A refusal is thrown and answered by <see cref="Http.ApiErrorFilter"/> (429 <c>rate_limited</c>, Retry-After).
/// </summary>
internal static class ContextLimitFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var lease = http.RequestServices.GetRequiredService<KeyLimits>().StartContext(http.GetApiKey());

        // The handlers write their response themselves, so the whole synthesis runs inside next.
        return await next(context);
    }
}
