using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Http;

/// <summary>Writes HTTP errors in the one documented shape, <c>{"error":{"code","message","retryable",...}}</c>.</summary>
internal static class HttpErrors
{
    /// <summary>
    /// Writes <paramref name="error"/> with <paramref name="status"/> (default: the code's status). Once the
    /// response has started no status can be sent, so the connection is aborted instead (the body is truncated).
    /// </summary>
    public static async Task WriteAsync(HttpContext http, ApiError error, int? status = null)
    {
        GatewayLog.RequestRejected(Logger(http), error.Code);
        if (http.Response.HasStarted)
        {
            http.Abort();
            return;
        }

        http.Response.StatusCode = status ?? error.HttpStatus;
        if (error.RetryAfterSeconds is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter)).ToString(CultureInfo.InvariantCulture);
        }

        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(ServerMessages.HttpError(error), http.RequestAborted);
    }

    /// <summary>
    /// Status-code pages: an error status the framework set without a body (no endpoint at the path: 404; an
    /// endpoint that takes another method: 405) gets the JSON body of its code too.
    /// </summary>
    public static Task WriteStatusCodeAsync(StatusCodeContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        return WriteAsync(context.HttpContext, ApiError.ForStatus(status), status);
    }

    public static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Sawt.Gateway.Http");
}
