using OpenTelemetry.Trace;
using Sawt.Inference.Synthetic;
using Sawt.Silo;

namespace Sawt.EndToEnd.Tests.Telemetry;

/// <summary>
/// An embedded cluster whose tracer also exports to memory (<see cref="Spans"/>), with speculative decoding on (its
/// bundle carries a draft), so the telemetry tests see every kind of span and metric. Its own cluster: the shared
/// fixture's host is not traced into memory.
/// </summary>
public sealed class TelemetryClusterFixture : IAsyncLifetime
{
    private readonly string _bundleDirectory = Path.Combine(Path.GetTempPath(), "sawt-e2e-telemetry-" + Guid.NewGuid().ToString("N"));

    public EmbeddedClusterHost Host { get; private set; } = null!;

    internal SpanRecorder Spans { get; } = new();

    public async ValueTask InitializeAsync()
    {
        SyntheticBundleGenerator.Generate(_bundleDirectory, SyntheticBundleOptions.Tiny with { DraftAgreement = 0.8 });
        Host = await EmbeddedClusterHost.StartAsync(
            _bundleDirectory,
            extraArguments: ["--Sawt:Workers:SpeculativeDecoding", "true"],
            configure: builder => builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans)));
    }

    public ValueTask DisposeAsync() => FixtureTeardown.DisposeAsync(Host, bundleDirectory: _bundleDirectory);
}
