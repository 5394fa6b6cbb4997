using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Sawt.Gateway.Audio;
using Sawt.Gateway.Auth;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Http;
using Sawt.Gateway.Limits;
using Sawt.Gateway.Security;
using Sawt.Gateway.Operations;
using Sawt.Gateway.WebSockets;

namespace Sawt.Gateway;

/// <summary>Registers the gateway's services.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="GatewayOptions"/> and <see cref="AuthOptions"/> (validated at start; the API's open or keyed
    /// state is logged once at start), the per-key limits (<see cref="KeyLimits"/>, behind ASP.NET Core's
    /// rate-limiting middleware for HTTP), the CORS policy (<see cref="CorsPolicies"/>), registers <see cref="OrleansSessionBackend"/> as
    /// <see cref="ISessionBackend"/> and <see cref="OrleansClusterHealthSource"/> as <see cref="IClusterHealthSource"/>
    /// unless already registered, and this gateway's activity report to the operator view. Needs an <see cref="IClusterClient"/> in DI
    /// (an Orleans client, or a silo when co-hosting).
    /// </summary>
    public static IServiceCollection AddSawtGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GatewayOptions>()
            .Bind(configuration.GetSection(GatewayOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISessionBackend, OrleansSessionBackend>();
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        services.TryAddSingleton<ApiKeys>();
        services.AddHostedService<AuthStartupLog>();
        services.TryAddSingleton<KeyLimits>();
        services.AddRateLimiter(static _ => { });
        services.AddOptions<RateLimiterOptions>().Configure<KeyLimits>(static (options, limits) =>
        {
            options.GlobalLimiter = limits.HttpRequests;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = static (rejected, _) =>
            {
                var http = rejected.HttpContext;
                var error = http.RequestServices.GetRequiredService<KeyLimits>().RequestsRefused(http.ApiKeyOrOpen(), rejected.Lease);
                return new ValueTask(HttpErrors.WriteAsync(http, error));
            };
        });
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<GatewayOptions>>(static (cors, gateway) =>
            cors.AddDefaultPolicy(policy => CorsPolicies.Apply(policy, gateway.Value.CorsOrigins)));
        services.TryAddSingleton<OperatorKeys>();
        services.TryAddSingleton<GatewayActivity>();
        services.TryAddSingleton<IClusterHealthSource, OrleansClusterHealthSource>();
        services.AddHostedService<GatewayLoadReporter>();
        services.TryAddSingleton<GatewayDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayDrain>());
        services.TryAddSingleton<AudioEncoders>();
        services.TryAddSingleton<GatewayInstruments>();

        // Picked up by the host's OpenTelemetry providers (ServiceDefaults); no effect on a host without them.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(GatewayInstruments.SourceName));

        // Only this host's meter (see SawtSiloBuilderExtensions): another gateway in the process keeps its own values.
        services.AddMetrics(metrics => metrics.EnableMetrics(GatewayInstruments.MeterName, instrumentName: null, listenerName: null, MeterScope.Local));
        services.AddHostedService<AudioEncoderProbe>();
        return services;
    }
}
