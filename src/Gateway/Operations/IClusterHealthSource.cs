using Sawt.Contracts.Operations;

namespace Sawt.Gateway.Operations;

/// <summary>
/// Where the operator view comes from and where this gateway's activity goes: the cluster's
/// <see cref="IClusterHealthGrain"/> (<see cref="OrleansClusterHealthSource"/>); tests substitute a fake.
/// </summary>
public interface IClusterHealthSource
{
    /// <summary>The whole cluster as of now.</summary>
    Task<ClusterHealthSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>Reports this gateway's open sockets and sessions.</summary>
    Task ReportGatewayAsync(GatewayLoadReport report, CancellationToken cancellationToken = default);
}
