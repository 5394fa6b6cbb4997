using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sawt.Gateway.Audio;
using Sawt.Gateway.Auth;
using Sawt.Gateway.Backend;
using Sawt.Gateway.WebSockets;

namespace Sawt.Gateway;

/// <summary>Registers the gateway's services.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="GatewayOptions"/> and <see cref="AuthOptions"/> (validated at start; the API's open or keyed
    /// state is logged once at start) and registers <see cref="OrleansSessionBackend"/> as
    /// <see cref="ISessionBackend"/> unless one is already registered. Needs an <see cref="IClusterClient"/> in DI
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
        services.TryAddSingleton<GatewayDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayDrain>());
        services.TryAddSingleton<AudioEncoders>();
        services.AddHostedService<AudioEncoderProbe>();
        return services;
    }
}
