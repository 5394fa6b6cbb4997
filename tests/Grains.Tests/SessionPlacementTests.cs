using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime.Placement;
using Sawt.Grains.Hosting;
using Sawt.Grains.Placement;

namespace Sawt.Grains.Tests;

/// <summary>
/// Where new sessions go: on the silo placing them, unless it is draining; then on another silo, never back on the
/// draining one while another exists.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SessionPlacementTests : IDisposable
{
    /// <summary>Placements tried where a random choice among the others is made: each must avoid the draining silo.</summary>
    private const int Placements = 64;

    private static readonly SiloAddress Local = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
    private static readonly SiloAddress Other = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 1);
    private static readonly SiloAddress Third = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11113), 1);

    private readonly SiloDrain _drain = new(TimeProvider.System, NullLogger<SiloDrain>.Instance);

    [Fact]
    public async Task NotDraining_PlacesOnTheLocalSilo()
    {
        var director = new SessionPlacementDirector(_drain);

        Assert.Equal(Local, await director.OnAddActivation(SessionPlacement.Instance, default, new Context([Local, Other, Third])));
    }

    [Fact]
    public async Task Draining_PlacesOnTheOtherSilos_Only()
    {
        var director = new SessionPlacementDirector(_drain);
        _drain.Begin();

        var placed = new HashSet<SiloAddress>();
        for (var i = 0; i < Placements; i++)
        {
            placed.Add(await director.OnAddActivation(SessionPlacement.Instance, default, new Context([Local, Other, Third])));
        }

        Assert.DoesNotContain(Local, placed);
        Assert.NotEmpty(placed);
    }

    [Fact]
    public async Task Draining_AloneInTheCluster_KeepsTheSession()
    {
        var director = new SessionPlacementDirector(_drain);
        _drain.Begin();

        Assert.Equal(Local, await director.OnAddActivation(SessionPlacement.Instance, default, new Context([Local])));
    }

    public void Dispose() => _drain.Dispose();

    private sealed class Context(SiloAddress[] silos) : IPlacementContext
    {
        public SiloAddress LocalSilo => Local;

        public SiloStatus LocalSiloStatus => SiloStatus.Active;

        public SiloAddress[] GetCompatibleSilos(PlacementTarget target) => silos;

        public IReadOnlyDictionary<ushort, SiloAddress[]> GetCompatibleSilosWithVersions(PlacementTarget target) =>
            new Dictionary<ushort, SiloAddress[]> { [0] = silos };
    }
}
