using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Sawt.Grains.Hosting;
using Sawt.Grains.Sessions;

namespace Sawt.Grains.Tests;

/// <summary>
/// Two silos' hosts in one process, as in the end-to-end tests: each host's OpenTelemetry provider exports its own
/// silo's metrics only, and keeps them when the other host stops (a provider that listened by meter name shared one
/// metric stream between them and dropped it with the host that registered it first).
/// </summary>
[Trait("Category", "Unit")]
public sealed class SiloInstrumentsTests
{
    [Fact]
    public async Task TwoHostsInOneProcess_EachExportsOnlyItsOwnSessions_AndKeepsThemWhenTheOtherStops()
    {
        var token = TestContext.Current.CancellationToken;
        var secondExport = new List<MetricSnapshot>();
        var first = await StartAsync([], token);
        var firstSessions = first.Services.GetRequiredService<SessionInstruments>();
        using var second = await StartAsync(secondExport, token);
        var secondSessions = second.Services.GetRequiredService<SessionInstruments>();

        firstSessions.Started();
        firstSessions.Completed(wallSeconds: 1, audioSeconds: 2, tokens: 50);
        secondSessions.Started();
        secondSessions.Completed(wallSeconds: 1, audioSeconds: 2, tokens: 50);
        secondSessions.Completed(wallSeconds: 1, audioSeconds: 2, tokens: 50);

        await first.StopAsync(token);
        first.Dispose();
        secondSessions.Started();
        secondSessions.Completed(wallSeconds: 1, audioSeconds: 2, tokens: 50);

        Assert.True(second.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000), "the provider did not flush");
        Assert.Equal(3, LatestSum(secondExport, SessionInstruments.Utterances));
        Assert.Equal(2, LatestSum(secondExport, SessionInstruments.Active));
        await second.StopAsync(token);
    }

    private static async Task<IHost> StartAsync(ICollection<MetricSnapshot> export, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSiloInstruments();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddInMemoryExporter(export));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    private static long LatestSum(List<MetricSnapshot> export, string name)
    {
        var snapshot = export.LastOrDefault(m => m.Name == name);
        Assert.True(snapshot is not null, $"{name} was not exported (exported: {string.Join(", ", export.Select(m => m.Name).Distinct())})");
        return snapshot.MetricPoints.Sum(point => point.GetSumLong());
    }
}
