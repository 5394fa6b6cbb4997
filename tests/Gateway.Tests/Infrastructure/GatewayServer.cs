using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Operations;

namespace Sawt.Gateway.Tests.Infrastructure;

/// <summary>The real gateway on Kestrel at 127.0.0.1 on a free port, over a <see cref="FakeSessionBackend"/>.</summary>
internal sealed class GatewayServer : IAsyncDisposable
{
    private GatewayServer(WebApplication app, FakeSessionBackend backend, FakeClusterHealthSource health, CapturedLogs logs)
    {
        App = app;
        Backend = backend;
        Health = health;
        Logs = logs;
        var address = app.Urls.First();
        HttpBase = new Uri(address);
        WsBase = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal));
        Http = new HttpClient { BaseAddress = HttpBase, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public FakeSessionBackend Backend { get; }

    /// <summary>The operator view's source (no cluster here).</summary>
    public FakeClusterHealthSource Health { get; }

    /// <summary>Everything the server logged (the gateway at Debug, the framework at Information).</summary>
    public CapturedLogs Logs { get; }

    public Uri HttpBase { get; }

    public Uri WsBase { get; }

    public HttpClient Http { get; }

    /// <param name="configure">Gateway options for this server.</param>
    /// <param name="kestrel">Kestrel limits for this server (e.g. a short request-body data rate).</param>
    /// <param name="settings">Configuration as an operator would give it (e.g. <c>Sawt:Auth:Keys:0:Key</c>).</param>
    /// <param name="time">The clock the gateway's timers run on (a fake one lets a test move time itself).</param>
    public static async Task<GatewayServer> StartAsync(
        Action<GatewayOptions>? configure = null,
        Action<KestrelServerOptions>? kestrel = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        TimeProvider? time = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(30));
        if (kestrel is not null)
        {
            builder.WebHost.ConfigureKestrel(kestrel);
        }

        var logs = new CapturedLogs();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        var backend = new FakeSessionBackend();
        builder.Services.AddSingleton<ISessionBackend>(backend);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        var health = new FakeClusterHealthSource();
        builder.Services.AddSingleton<IClusterHealthSource>(health);
        builder.Services.AddSawtGateway(builder.Configuration);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        var app = builder.Build();
        app.MapSawtGateway();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new GatewayServer(app, backend, health, logs);
    }

    public Uri Ws(string path) => new(WsBase, path);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
