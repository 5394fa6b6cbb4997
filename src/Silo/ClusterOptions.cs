namespace Sawt.Silo;

/// <summary>How this silo joins its cluster (section <c>Sawt:Cluster</c>).</summary>
public sealed class SawtClusterOptions
{
    public const string SectionName = "Sawt:Cluster";

    /// <summary>Silo-to-silo port (localhost clustering).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (standalone gateways) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Co-host the WebSocket/HTTP gateway in this process (the embedded default).</summary>
    public bool EmbeddedGateway { get; set; } = true;
}
