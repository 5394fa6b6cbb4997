using System.Net;
using Microsoft.Extensions.Configuration;

namespace Sawt.Cluster;

/// <summary>How a process joins its cluster (section <c>Sawt:Cluster</c>).</summary>
public sealed class SawtClusterOptions
{
    public const string SectionName = "Sawt:Cluster";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (standalone gateways) connect to; a standalone gateway's silo port without Redis.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Co-host the WebSocket/HTTP gateway in the silo process (the embedded default).</summary>
    public bool EmbeddedGateway { get; set; } = true;

    /// <summary>Names this deployment in Redis; silos and gateways with the same ids form one cluster.</summary>
    public string ClusterId { get; set; } = "sawt";

    /// <inheritdoc cref="ClusterId"/>
    public string ServiceId { get; set; } = "sawt";

    /// <summary>
    /// The address other silos and gateways reach this silo at (with Redis). Empty: the host's own address, as
    /// Orleans resolves it; a pod's IP in Kubernetes. Set <c>127.0.0.1</c> for several silos on one machine.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// On shutdown, how long a silo lets the utterances running on it finish before it ends the rest with the
    /// retryable <c>shutting_down</c> and leaves the cluster. The host's shutdown timeout
    /// (<c>DOTNET_SHUTDOWNTIMEOUTSECONDS</c>) must exceed it with room to leave, and Kubernetes'
    /// <c>terminationGracePeriodSeconds</c> must exceed that (docs/deployment.md).
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal IPAddress? AdvertisedIPAddress => string.IsNullOrWhiteSpace(AdvertisedAddress)
        ? null
        : IPAddress.TryParse(AdvertisedAddress, out var address)
            ? address
            : throw new InvalidOperationException($"{SectionName}:{nameof(AdvertisedAddress)} '{AdvertisedAddress}' is not an IP address.");

    /// <summary>The section's values, or the defaults.</summary>
    public static SawtClusterOptions From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<SawtClusterOptions>() ?? new SawtClusterOptions();
}
