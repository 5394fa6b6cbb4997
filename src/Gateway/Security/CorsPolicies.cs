using Microsoft.AspNetCore.Cors.Infrastructure;
using Sawt.Gateway.Auth;

namespace Sawt.Gateway.Security;

/// <summary>
/// The gateway's CORS policy: pages of <see cref="GatewayOptions.CorsOrigins"/> may call the HTTP API from a browser,
/// sending a key in a header (<c>Authorization</c>, <c>xi-api-key</c>) and reading the headers clients need. No
/// credentials (cookies): keys are never ambient. With no origins configured, no other origin is allowed (the demo
/// page is same-origin and needs none).
/// </summary>
internal static class CorsPolicies
{
    /// <summary>The entry of <see cref="GatewayOptions.CorsOrigins"/> that allows every origin.</summary>
    public const string AnyOrigin = "*";

    public static void Apply(CorsPolicyBuilder policy, IReadOnlyCollection<string> origins)
    {
        if (origins.Contains(AnyOrigin))
        {
            policy.AllowAnyOrigin();
        }
        else
        {
            policy.WithOrigins([.. origins]);
        }

        policy
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .WithHeaders("Authorization", "Content-Type", ApiKeyAuthentication.ApiKeyHeader)
            .WithExposedHeaders("Retry-After", "Location", "X-Encoding", "X-Sample-Rate", "X-Channels", "X-Format", "X-Stop-Reason", "X-Alignment-Warnings")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
    }

    /// <summary>Whether <paramref name="origin"/> is <see cref="AnyOrigin"/> or exactly <c>scheme://host[:port]</c> (http or https), as browsers send it.</summary>
    public static bool IsValidOrigin(string origin) =>
        origin == AnyOrigin
        || (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.Equals(uri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase));
}
