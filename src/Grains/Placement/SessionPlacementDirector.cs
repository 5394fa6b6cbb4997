using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Sawt.Grains.Hosting;

namespace Sawt.Grains.Placement;

/// <summary>
/// A new session goes to the silo placing it (the gateway silo its client called, which spreads sessions as clients
/// spread over gateways) unless that silo is draining: then to a random other compatible silo. A draining silo
/// waits for its running sessions; new ones landing there would keep it from ever becoming idle and be cut at the
/// drain timeout. A lone silo keeps its sessions (there is nowhere else; its drain ends them with shutting_down).
/// </summary>
internal sealed class SessionPlacementDirector(SiloDrain drain) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        var local = context.LocalSilo;
        if (!drain.IsDraining && silos.Contains(local))
        {
            return Task.FromResult(local);
        }

        var others = silos.Where(s => !s.Equals(local)).ToArray();
        return Task.FromResult(others.Length == 0 ? local : others[Random.Shared.Next(others.Length)]);
    }
}
