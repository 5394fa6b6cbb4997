using Orleans.Placement;

namespace Sawt.Grains.Placement;

/// <summary>Marks the session grain class for <see cref="SessionPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SessionPlacementAttribute() : PlacementAttribute(SessionPlacement.Instance);
