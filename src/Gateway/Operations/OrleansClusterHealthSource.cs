using Sawt.Contracts.Operations;

namespace Sawt.Gateway.Operations;

/// <summary>The operator view through the cluster's <see cref="IClusterHealthGrain"/> (key 0).</summary>
public sealed class OrleansClusterHealthSource(IClusterClient client) : IClusterHealthSource
{
    public Task<ClusterHealthSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default) =>
        client.GetGrain<IClusterHealthGrain>(0).GetSnapshot(cancellationToken).WaitAsync(cancellationToken);

    public Task ReportGatewayAsync(GatewayLoadReport report, CancellationToken cancellationToken = default) =>
        client.GetGrain<IClusterHealthGrain>(0).ReportGateway(report).WaitAsync(cancellationToken);
}
