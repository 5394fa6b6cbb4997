using Microsoft.AspNetCore.Http;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Http;

/// <summary>
/// The one place the gateway's endpoints turn exceptions into <see cref="ApiError"/>s (style §3), so endpoints just
/// throw: a refusal keeps its code and status; a request body Kestrel would not deliver
/// (<see cref="BadHttpRequestException"/>: 408 stalled, 413 too large, 400 malformed) is the client's problem and
/// logged at Debug; anything else is a gateway failure, logged once at Error and answered 500 <c>internal_error</c>.
/// No endpoint answers with an empty 500.
/// </summary>
internal static class ApiErrorFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        ApiError error;
        int? status = null;
        try
        {
            return await next(context);
        }
        catch (ProtocolException exception)
        {
            error = ApiError.From(exception);
        }
        catch (SessionRejectedException exception)
        {
            error = ApiError.From(exception);
        }
        catch (BadHttpRequestException exception)
        {
            GatewayLog.RequestBodyUnreadable(HttpErrors.Logger(http), http.GetEndpoint()?.DisplayName, exception.StatusCode);
            status = exception.StatusCode;
            error = ApiError.ForStatus(exception.StatusCode);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
            return Results.Empty;
        }
        catch (Exception exception)
        {
            // Loop edge of a request (style §2.11): logged here, once, with the route pattern, not the (user) path.
            GatewayLog.HttpRequestFailed(HttpErrors.Logger(http), http.GetEndpoint()?.DisplayName, exception);
            error = ApiError.Unexpected();
        }

        await HttpErrors.WriteAsync(http, error, status);
        return Results.Empty;
    }
}
