using Orleans.Runtime;

namespace Sawt.Grains.Placement;

/// <summary>Places a session on the silo that receives its first call, unless that silo is draining (see <see cref="SessionPlacementDirector"/>).</summary>
[GenerateSerializer, Immutable, Alias("sawt.session-placement")]
public sealed class SessionPlacement : PlacementStrategy
{
    public static SessionPlacement Instance { get; } = new();
}
