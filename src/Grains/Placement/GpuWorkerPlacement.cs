using Orleans.Runtime;

namespace Sawt.Grains.Placement;

/// <summary>Places a worker grain on the silo named in its key (<c>{silo endpoint}/{device}</c>).</summary>
[GenerateSerializer, Immutable, Alias("sawt.gpu-worker-placement")]
public sealed class GpuWorkerPlacement : PlacementStrategy
{
    public static GpuWorkerPlacement Instance { get; } = new();
}
