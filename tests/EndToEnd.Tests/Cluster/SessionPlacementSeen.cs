namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>Where a session ran, by silo endpoint, as its start log says (see <see cref="LoadFaultClusterFixture.PlacementOf"/>).</summary>
/// <param name="Session">The silo hosting the session grain (the one that logged its start).</param>
/// <param name="T3">The silo of its T3 worker.</param>
/// <param name="Decoder">The silo of its decoder worker.</param>
internal sealed record SessionPlacementSeen(string Session, string T3, string Decoder)
{
    /// <summary>Whether any of the three is <paramref name="silo"/>.</summary>
    public bool Touches(string silo) => Session == silo || T3 == silo || Decoder == silo;
}
