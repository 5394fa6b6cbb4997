using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sawt.Gateway.Backend;

namespace Sawt.Gateway.Tests.Infrastructure;

/// <summary>The real gateway on Kestrel at 127.0.0.1 on a free port, over a <see cref="FakeSessionBackend"/>.</summary>
internal sealed class GatewayServer : IAsyncDisposable
{
    private GatewayServer(WebApplication app, FakeSessionBackend backend)
    {
        App = app;
        Backend = backend;
        var address = app.Urls.First();
        HttpBase = new Uri(address);
        WsBase = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal));
        Http = new HttpClient { BaseAddress = HttpBase, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public FakeSessionBackend Backend { get; }

    public Uri HttpBase { get; }

    public Uri WsBase { get; }

    public HttpClient Http { get; }

    public static async Task<GatewayServer> StartAsync(Action<GatewayOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(30));
        builder.Logging.ClearProviders();
        var backend = new FakeSessionBackend();
        builder.Services.AddSingleton<ISessionBackend>(backend);
        builder.Services.AddSawtGateway(builder.Configuration);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        var app = builder.Build();
        app.MapSawtGateway();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new GatewayServer(app, backend);
    }

    public Uri Ws(string path) => new(WsBase, path);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
