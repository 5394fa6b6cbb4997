using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Sawt.Contracts.Workers;

namespace Sawt.Grains.Placement;

/// <summary>
/// Picks the compatible silo whose endpoint matches the worker key. Keyed by endpoint, not the full silo
/// address, so a restarted silo (new generation) gets its workers back.
/// </summary>
internal sealed class GpuWorkerPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString() ?? string.Empty;
        if (!WorkerKeys.TryParse(key, out var endpoint, out _))
        {
            throw new OrleansException($"Worker key '{key}' is not '{{silo endpoint}}/{{device}}'.");
        }

        var silos = context.GetCompatibleSilos(target);
        var silo = silos.FirstOrDefault(s => s.Endpoint.ToString() == endpoint)
            ?? throw new OrleansException($"No active silo at {endpoint} for worker '{key}' (silos: {string.Join(", ", silos.Select(s => s.Endpoint))}).");
        return Task.FromResult(silo);
    }
}
