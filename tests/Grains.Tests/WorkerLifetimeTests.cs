using Orleans.Core.Internal;
using Orleans.Runtime;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Workers;
using Sawt.Grains.Workers;

namespace Sawt.Grains.Tests;

/// <summary>
/// What an idle collection may and may not take (forced here, so no test waits for the collector): workers and running
/// sessions stay, the registry rebuilds itself from the next reports, an abandoned incremental session ends.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class WorkerLifetimeTests(ClusterFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdleCollection_WorkersAndARunningSessionStay()
    {
        // An incremental session that has spoken its first sentence and waits for more text looks idle to Orleans.
        var id = Guid.NewGuid();
        var session = fixture.Client.GetGrain<ITtsSessionGrain>(id);
        var events = await SessionEvents.SubscribeAsync(fixture.Client, id);
        await session.Start(new SessionStart { Text = "Hello there.", Language = "en", Incremental = true, Sampling = new() { Seed = 4 } });
        await session.Flush();
        await events.FirstAudio.WaitAsync(TimeSpan.FromSeconds(60), Token);

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, Token);

        Assert.Equal(ClusterFixture.SiloCount, await ActiveCount(typeof(T3WorkerGrain)));
        Assert.Equal(ClusterFixture.SiloCount, await ActiveCount(typeof(DecoderWorkerGrain)));
        await session.AppendText(" How are you today?");
        await session.Complete();
        Assert.IsType<SessionCompleted>(await events.Last().WaitAsync(TimeSpan.FromSeconds(60), Token));
    }

    [Fact]
    public async Task Registry_Deactivated_NextCallsSeeEveryWorkerAndASessionStarts()
    {
        var registry = fixture.Client.GetGrain<IWorkerRegistryGrain>(0);
        await registry.Cast<IGrainManagementExtension>().DeactivateOnIdle(Token);

        // This call re-activates it (or finds it re-activated by a report): either way the list is complete.
        Assert.Equal(2 * ClusterFixture.SiloCount, (await registry.List()).Count(w => w.Ready));

        await registry.Cast<IGrainManagementExtension>().DeactivateOnIdle(Token);
        var id = Guid.NewGuid();
        var events = await SessionEvents.SubscribeAsync(fixture.Client, id);
        await fixture.Client.GetGrain<ITtsSessionGrain>(id).Start(new SessionStart { Text = "Picked a worker at once.", Language = "en", Sampling = new() { Seed = 6 } });
        Assert.IsType<SessionCompleted>(await events.Last().WaitAsync(TimeSpan.FromSeconds(60), Token));
    }

    [Fact]
    public async Task IncrementalSession_ClientGoesSilent_EndsWithInputTimeout()
    {
        var id = Guid.NewGuid();
        var events = await SessionEvents.SubscribeAsync(fixture.Client, id);
        var session = fixture.Client.GetGrain<ITtsSessionGrain>(id);
        await session.Start(new SessionStart { Text = "Then nothing more.", Language = "en", Incremental = true, Sampling = new() { Seed = 2 } });
        await session.Flush();

        // The fixture's InputIdleTimeout is short; the bound here only keeps a bug from hanging the run.
        var last = Assert.IsType<SessionFailed>(await events.Last().WaitAsync(TimeSpan.FromSeconds(60), Token));
        Assert.Equal("input_timeout", last.Code);
        Assert.False(last.Retryable);
        Assert.NotEmpty(events.Audio);
    }

    private async Task<int> ActiveCount(Type grainClass)
    {
        var statistics = await fixture.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics.Count(s => s.GrainType.Contains(grainClass.Name, StringComparison.Ordinal));
    }
}
