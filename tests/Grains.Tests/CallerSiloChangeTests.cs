using Orleans.Streams;
using Sawt.Contracts;
using Sawt.Contracts.Sessions;
using Sawt.Grains.Placement;

namespace Sawt.Grains.Tests;

/// <summary>
/// A session does not belong to the silo that called it: a caller pinned to one silo starts an incremental
/// session, then a caller pinned to the other silo continues and completes it, and the audio keeps flowing.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class CallerSiloChangeTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Session_CallerMovesToAnotherSilo_ContinuesAndCompletes()
    {
        var id = Guid.NewGuid();
        var silos = fixture.Cluster.Silos.Select(s => s.SiloAddress.Endpoint.ToString()).ToList();
        var events = new List<SessionEvent>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = fixture.Client.GetStreamProvider(StreamNames.Provider).GetStream<SessionEvent>(StreamId.Create(StreamNames.SessionNamespace, id));
        var handle = await stream.SubscribeAsync((e, _) =>
        {
            lock (events)
            {
                events.Add(e);
            }

            if (e is SessionCompleted or SessionFailed)
            {
                done.TrySetResult();
            }

            return Task.CompletedTask;
        });

        var firstCaller = fixture.Client.GetGrain<ISessionCallerGrain>($"{silos[0]}/caller");
        var secondCaller = fixture.Client.GetGrain<ISessionCallerGrain>($"{silos[1]}/caller");
        Assert.Equal(silos[0], await firstCaller.Start(id, "The first caller starts this session. It says one sentence. "));
        Assert.Equal(silos[1], await secondCaller.Finish(id, "The second caller, on the other silo, finishes it."));

        await done.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await handle.UnsubscribeAsync();
        Assert.True(events[^1] is SessionCompleted, events[^1] is SessionFailed f ? $"{f.Code}: {f.Message}" : events[^1].GetType().Name);
        var audio = events.OfType<AudioChunkEvent>().ToList();
        Assert.Equal(Enumerable.Range(0, audio.Count), audio.Select(c => c.Sequence));
        Assert.True(audio[^1].IsFinal);
        Assert.True(audio.Select(c => c.SegmentIndex).Where(s => s >= 0).Distinct().Count() >= 3);
    }
}

/// <summary>A test-only caller of sessions, pinned to the silo named in its key.</summary>
[Alias("sawt.tests.ISessionCallerGrain")]
public interface ISessionCallerGrain : IGrainWithStringKey
{
    /// <summary>Starts an incremental session with some text; returns the silo it ran on.</summary>
    [Alias("Start")]
    Task<string> Start(Guid sessionId, string text);

    /// <summary>Adds text and ends the input; returns the silo it ran on.</summary>
    [Alias("Finish")]
    Task<string> Finish(Guid sessionId, string text);
}

/// <summary>Pinned like a worker (by silo endpoint in the key) so the test controls where the caller runs.</summary>
[GpuWorkerPlacement]
public sealed class SessionCallerGrain(Orleans.Runtime.ILocalSiloDetails silo) : Grain, ISessionCallerGrain
{
    public async Task<string> Start(Guid sessionId, string text)
    {
        await GrainFactory.GetGrain<ITtsSessionGrain>(sessionId).Start(new SessionStart { Language = "en", Incremental = true, Text = text, Sampling = new() { Seed = 6 } });
        return silo.SiloAddress.Endpoint.ToString();
    }

    public async Task<string> Finish(Guid sessionId, string text)
    {
        var session = GrainFactory.GetGrain<ITtsSessionGrain>(sessionId);
        await session.AppendText(text);
        await session.Complete();
        return silo.SiloAddress.Endpoint.ToString();
    }
}
