using Sawt.Contracts.Workers;

namespace Sawt.Grains.Workers;

/// <summary>Reports a worker's load to the registry every second from a grain timer.</summary>
internal static class WorkerLoadPublisher
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    public static IGrainTimer Start(Grain grain, IGrainFactory grains, Func<WorkerLoadReport> snapshot) =>
        grain.RegisterGrainTimer(
            _ => grains.GetGrain<IWorkerRegistryGrain>(0).Report(snapshot()),
            new GrainTimerCreationOptions(TimeSpan.Zero, Period) { Interleave = true });
}
