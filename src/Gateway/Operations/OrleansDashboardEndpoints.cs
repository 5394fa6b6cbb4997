using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Orleans.Dashboard;

namespace Sawt.Gateway.Operations;

/// <summary>
/// The Orleans dashboard (grain detail) beside <c>/ops</c>, under <see cref="RoutePrefix"/> and so behind the same
/// operator key. It needs <c>AddDashboard</c> on every silo and on the hosting client (or silo); a host that added it
/// says so with <see cref="AddOrleansDashboardEndpoints"/>, and only then does the gateway map it (the gateway's own
/// tests run without any Orleans services).
/// </summary>
public static class OrleansDashboardEndpoints
{
    public const string RoutePrefix = "/ops/orleans";

    /// <summary>
    /// Set <c>false</c> on every silo and gateway to leave the Orleans dashboard out: it profiles every grain call and
    /// keeps a log buffer, a small cost a latency-critical deployment may not want.
    /// </summary>
    public const string EnabledKey = "Sawt:Ops:OrleansDashboard";

    /// <summary>Whether the host should add the Orleans dashboard (<see cref="EnabledKey"/>, default true).</summary>
    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue(EnabledKey, defaultValue: true);

    /// <summary>Marks that this host registered the Orleans dashboard, so <c>MapSawtGateway</c> maps it.</summary>
    public static IServiceCollection AddOrleansDashboardEndpoints(this IServiceCollection services)
    {
        services.AddSingleton<Marker>();
        return services;
    }

    internal static void MapIfAdded(WebApplication app)
    {
        if (app.Services.GetService<Marker>() is not null)
        {
            app.MapOrleansDashboard(RoutePrefix);
        }
    }

    private sealed class Marker;
}
