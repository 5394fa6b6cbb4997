using Orleans.Placement;

namespace Sawt.Grains.Placement;

/// <summary>Marks a worker grain class for <see cref="GpuWorkerPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class GpuWorkerPlacementAttribute() : PlacementAttribute(GpuWorkerPlacement.Instance);
