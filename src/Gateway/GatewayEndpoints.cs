using Microsoft.AspNetCore.Builder;
using Sawt.Gateway.Auth;
using Sawt.Gateway.Http;
using Sawt.Gateway.Security;
using Sawt.Gateway.Operations;
using Sawt.Gateway.WebSockets;

namespace Sawt.Gateway;

/// <summary>Maps the gateway's endpoints onto an application (standalone or co-hosted in a silo).</summary>
public static class GatewayEndpoints
{
    /// <summary>
    /// Adds WebSocket support and maps <c>/v1/ws</c>, the HTTP API under <c>/v1</c>, health probes, the guide's
    /// compatibility endpoints (<c>/ws/tts</c>, <c>GET /tts/stream</c>), the demo page at <c>/</c>, and the operator
    /// dashboard at <c>/ops</c> (with the Orleans dashboard under <c>/ops/orleans</c> when the host added it; operator
    /// keys, see <see cref="OperatorAuthentication"/>). Every error
    /// answer is JSON: endpoints' exceptions go through one filter (<see cref="ApiErrorFilter"/>), and error statuses
    /// the framework sets without a body (404 for any other path, 405) get one from status-code pages; both apply to
    /// the whole application, which the gateway owns. With API keys configured, every API path needs one
    /// (<see cref="ApiKeyAuthentication"/>) and keeps to its key's limits; probes and the demo page stay open. Every
    /// response carries <see cref="SecurityHeaders"/>; cross-origin pages are served per <see cref="CorsPolicies"/>. Needs <see cref="GatewayServiceCollectionExtensions.AddSawtGateway"/>.
    /// </summary>
    public static WebApplication MapSawtGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStatusCodePages(HttpErrors.WriteStatusCodeAsync);
        app.Use(SecurityHeaders.InvokeAsync);

        // Before the key check: a browser's preflight carries no key, and is answered here.
        app.UseCors();

        // Before WebSockets: a socket without a valid key is refused at the handshake (401), not after the upgrade.
        app.Use(ApiKeyAuthentication.InvokeAsync);

        // After the key check, which names the key whose rate a request takes (KeyLimits); before WebSockets, so a
        // handshake over the rate is refused (429) before the upgrade.
        app.UseRateLimiter();
        app.UseWebSockets();

        var gateway = app.MapGroup(string.Empty).AddEndpointFilter(ApiErrorFilter.InvokeAsync);
        gateway.MapProbeEndpoints();
        gateway.MapSocketEndpoints();
        gateway.MapSynthesisEndpoints();
        gateway.MapVoiceEndpoints();
        gateway.MapOperatorEndpoints();
        OrleansDashboardEndpoints.MapIfAdded(app);
        return app;
    }
}
