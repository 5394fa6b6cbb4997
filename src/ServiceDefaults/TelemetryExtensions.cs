using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Sawt.ServiceDefaults;

/// <summary>
/// Telemetry every Sawt host shares (after eShop's ServiceDefaults): OpenTelemetry traces and metrics with the
/// ASP.NET Core, .NET runtime and Orleans sources, a Prometheus scrape endpoint, and OTLP export of traces, metrics
/// and logs only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Libraries add their own sources and meters in their
/// own registration (<c>ConfigureOpenTelemetryTracerProvider</c>/<c>ConfigureOpenTelemetryMeterProvider</c>).
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The configuration key (an environment variable in practice) that turns OTLP export on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Where Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Orleans' grain-call spans for application interfaces (Orleans.Diagnostics.ActivitySources).</summary>
    public const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    /// <summary>Orleans' meter (messaging, grains, streams, ...).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>The .NET runtime's own meter (GC, thread pool, exceptions).</summary>
    public const string RuntimeMeter = "System.Runtime";

    // Paths polled by machines: a span per scrape or probe is noise.
    private static readonly string[] UntracedPaths = [MetricsPath, "/healthz", "/readyz"];

    /// <summary>Adds OpenTelemetry to a host as <paramref name="serviceName"/> (e.g. <c>sawt-silo</c>).</summary>
    public static TBuilder AddSawtTelemetry<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !IsUntraced(http.Request.Path))
                .AddSource(OrleansApplicationSource))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(OrleansMeter, RuntimeMeter)
                .AddPrometheusExporter(prometheus =>
                {
                    // Scrapes come every few seconds from one server: a cached answer would only hide fresh values.
                    prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                }));

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Maps the Prometheus scrape endpoint (<see cref="MetricsPath"/>). Needs <see cref="AddSawtTelemetry"/>.</summary>
    public static IEndpointRouteBuilder MapSawtMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath);
        return endpoints;
    }

    private static bool IsUntraced(PathString path) =>
        UntracedPaths.Any(untraced => path.Equals(untraced, StringComparison.OrdinalIgnoreCase));
}
