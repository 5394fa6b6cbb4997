using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.Streams;
using Sawt.Contracts;
using Sawt.Contracts.Sessions;
using Sawt.Silo;
using Sawt.Streaming;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// Where the pieces a session's audio travels through are, by silo endpoint (null: none found). Each grain has the silo
/// of its activation and the silo owning its grain-directory entry: Orleans deactivates an activation whose directory
/// owner shuts down, so either one leaving loses the activation and its memory.
/// </summary>
/// <param name="Session">The session grain.</param>
/// <param name="SessionDirectory">The directory owner of the session grain.</param>
/// <param name="Agent">The pulling agent reading the stream's queue: it keeps the stream's subscriptions in memory.</param>
/// <param name="Rendezvous">The stream's pub-sub rendezvous grain, which an agent taking over the queue asks for the subscriptions.</param>
/// <param name="RendezvousDirectory">Its directory owner.</param>
/// <param name="Storage">
/// The in-memory storage grain with the rendezvous grain's state (<c>PubSubStore</c> is memory storage: one of a few
/// storage grains, chosen by a hash of the key), which a new rendezvous activation reads back.
/// </param>
/// <param name="StorageDirectory">Its directory owner.</param>
/// <remarks>Found with Orleans' own naming, hashing and directory ring, so a test can arrange which silo holds what instead of hoping.</remarks>
internal sealed record StreamRoute(
    string? Session, string? SessionDirectory, string? Agent, string? Rendezvous, string? RendezvousDirectory, string? Storage, string? StorageDirectory)
{
    /// <summary>Storage grains of a memory grain storage (Orleans' default, which the silo keeps).</summary>
    private const int MemoryStorageGrains = 10;

    /// <param name="host">The cluster; the agents of its in-process silos are looked at.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="outOfProcess">A silo running as a process of its own: a queue no in-process silo reads is read there.</param>
    public static async Task<StreamRoute> LocateAsync(RedisClusterHost host, Guid sessionId, string? outOfProcess = null)
    {
        var client = host.Client;
        var management = client.GetGrain<IManagementGrain>(0);
        var ring = await RingAsync(management);
        var streamId = StreamId.Create(StreamNames.SessionNamespace, sessionId);
        var session = client.GetGrain<ITtsSessionGrain>(sessionId);
        var rendezvous = GrainId.Create("pubsubrendezvous", $"{StreamNames.Provider}/{streamId}");
        var storageKey = $"PubSubRendezvousGrain/{rendezvous}";
        var storage = client.GetGrain<IMemoryStorageGrain>(StableHash.ComputeHash(storageKey) % MemoryStorageGrains);

        string? agent = null;
        for (var i = 0; i < host.SiloCount; i++)
        {
            if (host.IsSiloRunning(i)
                && host.SiloServices(i).GetRequiredKeyedService<IQueueAdapterFactory>(StreamNames.Provider) is LongPollQueueAdapterFactory queues
                && queues.QueuesRead.Contains(queues.QueueOf(streamId)))
            {
                agent = host.SiloEndpoint(i);
            }
        }

        agent ??= outOfProcess;

        async Task<string?> SiloOf(IAddressable grain) => (await management.GetActivationAddress(grain))?.Endpoint.ToString();

        // The storage grain is asked for the key, so a wrong guess at Orleans' naming fails loudly (null) instead of
        // pointing at an unrelated grain.
        var stored = await storage.ReadStateAsync<ReadOnlyMemory<byte>>(storageKey) is not null;
        return new StreamRoute(
            await SiloOf(session),
            DirectoryOwner(ring, session.GetGrainId()),
            agent,
            await SiloOf(client.GetGrain(rendezvous)),
            DirectoryOwner(ring, rendezvous),
            stored ? await SiloOf(storage) : null,
            stored ? DirectoryOwner(ring, storage.GetGrainId()) : null);
    }

    /// <summary>
    /// Everything the session's audio needs survives <paramref name="leaving"/> leaving: the session goes on, and its
    /// stream's subscription is still known (by the agent, or by a rendezvous activation or storage that stays).
    /// </summary>
    public bool Survives(string leaving) => SessionStays(leaving) && Agent is not null && Rendezvous is not null && Storage is not null
        && (Agent != leaving || !Lost(Rendezvous, RendezvousDirectory, leaving) || !Lost(Storage, StorageDirectory, leaving));

    /// <summary>
    /// The case a silo's leaving cuts off while the session goes on: the agent reading its queue, and the rendezvous
    /// grain's activation and stored state, all go with <paramref name="leaving"/>; the agent taking the queue over asks
    /// a fresh rendezvous grain, which knows no subscriber, and drops the session's events.
    /// </summary>
    public bool CutOffBy(string leaving) => SessionStays(leaving) && Agent == leaving
        && Lost(Rendezvous, RendezvousDirectory, leaving) && Lost(Storage, StorageDirectory, leaving);

    private bool SessionStays(string leaving) => Session is not null && Session != leaving && SessionDirectory != leaving;

    private static bool Lost(string? activation, string? directory, string leaving) => activation == leaving || directory == leaving;

    /// <summary>
    /// The share (0 to 1) of the grain hash space whose directory entries <paramref name="silo"/> owns. Each silo has one
    /// point on Orleans' ring, so with two silos one of them owns nearly all of it in about one cluster start in ten.
    /// </summary>
    public static async Task<double> DirectoryShareAsync(RedisClusterHost host, string silo)
    {
        var ring = await RingAsync(host.Client.GetGrain<IManagementGrain>(0));
        long owned = 0;
        for (var i = 0; i < ring.Count; i++)
        {
            if (ring[i].Endpoint.ToString() != silo)
            {
                continue;
            }

            // A silo owns from its point up to the next one; the last also owns what lies below the first point.
            long from = ring[i].GetConsistentHashCode();
            owned += (i + 1 < ring.Count ? ring[i + 1].GetConsistentHashCode() : (long)int.MaxValue + 1) - from;
            if (i == ring.Count - 1)
            {
                owned += (long)ring[0].GetConsistentHashCode() - int.MinValue;
            }
        }

        return owned / (double)(1L << 32);
    }

    private static async Task<List<SiloAddress>> RingAsync(IManagementGrain management) =>
        [.. (await management.GetHosts(onlyActive: true)).Keys.Order(Comparer<SiloAddress>.Create(CompareRing))];

    /// <summary>Orleans' LocalGrainDirectory: the owner is the silo with the greatest ring hash not above the grain's, else the last.</summary>
    private static string DirectoryOwner(List<SiloAddress> ring, GrainId grain)
    {
        var hash = unchecked((int)grain.GetUniformHashCode());
        var owner = ring.LastOrDefault(s => s.GetConsistentHashCode() <= hash) ?? ring[^1];
        return owner.Endpoint.ToString();
    }

    private static int CompareRing(SiloAddress? left, SiloAddress? right)
    {
        var byHash = left!.GetConsistentHashCode().CompareTo(right!.GetConsistentHashCode());
        return byHash != 0 ? byHash : left.CompareTo(right);
    }
}
