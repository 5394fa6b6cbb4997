namespace Sawt.Contracts.Operations;

/// <summary>One gateway's activity, reported every couple of seconds; stale reports drop out of the snapshot.</summary>
/// <param name="Gateway">The gateway's id (host name and process), stable while it runs.</param>
/// <param name="OpenSockets">WebSocket connections open now.</param>
/// <param name="ActiveSessions">Synthesis sessions (socket contexts and HTTP requests) running now.</param>
/// <param name="ReportedAt">UTC time of the report.</param>
[GenerateSerializer, Immutable, Alias("sawt.gateway-load")]
public sealed record GatewayLoadReport(
    [property: Id(0)] string Gateway,
    [property: Id(1)] int OpenSockets,
    [property: Id(2)] int ActiveSessions,
    [property: Id(3)] DateTimeOffset ReportedAt);
