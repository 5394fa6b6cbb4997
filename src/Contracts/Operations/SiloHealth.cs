namespace Sawt.Contracts.Operations;

/// <summary>A silo as the cluster's membership sees it.</summary>
/// <param name="Address">The silo's endpoint (as in worker keys).</param>
/// <param name="Name">The silo's name.</param>
/// <param name="HostName">The machine it runs on.</param>
/// <param name="Status">Membership status: Active, Joining, ShuttingDown, Dead, ...</param>
/// <param name="StartedAt">When the silo started.</param>
/// <param name="LastAliveAt">Its latest I-am-alive time in the membership table.</param>
[GenerateSerializer, Immutable, Alias("sawt.silo-health")]
public sealed record SiloHealth(
    [property: Id(0)] string Address,
    [property: Id(1)] string Name,
    [property: Id(2)] string HostName,
    [property: Id(3)] string Status,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] DateTimeOffset LastAliveAt);
