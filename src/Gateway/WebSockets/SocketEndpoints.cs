using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sawt.Gateway.Audio;
using Sawt.Gateway.Auth;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Limits;
using Sawt.Gateway.Operations;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.WebSockets;

/// <summary>The WebSocket endpoints: <c>/v1/ws</c> (<see cref="TtsSocketConnection"/>) and the guide's <c>/ws/tts</c> (<see cref="CompatSocketConnection"/>).</summary>
internal static class SocketEndpoints
{
    public static IEndpointRouteBuilder MapSocketEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/v1/ws", (HttpContext http) => AcceptAsync(http, "/v1/ws"));
        endpoints.Map("/ws/tts", (HttpContext http) => AcceptAsync(http, "/ws/tts"));
        return endpoints;
    }

    private static async Task AcceptAsync(HttpContext http, string endpoint)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, "This endpoint speaks WebSocket only.");
        }

        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        // Every context on this socket acts for the tenant of the key the handshake presented, within that key's limits.
        var apiKey = http.GetApiKey();
        var backend = new TenantSessionBackend(services.GetRequiredService<ISessionBackend>(), apiKey.Tenant);
        var limits = new SocketLimits(services.GetRequiredService<KeyLimits>(), apiKey);
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Sawt.Gateway.WebSockets");
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var instruments = services.GetService<GatewayInstruments>();
        var drain = services.GetRequiredService<GatewayDrain>();
        using var open = drain.Track();
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var counted = services.GetRequiredService<GatewayActivity>().SocketOpened();
        GatewayLog.SocketAccepted(logger, endpoint, http.Connection.RemoteIpAddress?.ToString());
        SocketConnection connection = endpoint == "/ws/tts"
            ? new CompatSocketConnection(socket, backend, options, time, logger, limits)
            : new TtsSocketConnection(socket, backend, options, time, logger, services.GetService<AudioEncoders>(), limits, instruments);
        instruments?.SocketOpened(endpoint);
        try
        {
            await connection.RunAsync(drain.Draining, http.RequestAborted);
        }
        catch (Exception exception)
        {
            // Last resort: the loops handle their own failures, so reaching here is a gateway bug.
            GatewayLog.SocketLoopFailed(logger, endpoint, exception);
            socket.Abort();
        }
        finally
        {
            instruments?.SocketClosed(endpoint);
        }
    }
}
