using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Sawt.Gateway.Protocol;
using Sawt.Gateway.Tests.Infrastructure;
using Sawt.Gateway.WebSockets;

namespace Sawt.Gateway.Tests;

/// <summary>
/// The receive loop's safety net, on a real WebSocket pair over loopback TCP: a handler that throws costs that
/// message an internal_error, logged once at Error, and the loop goes on with the next message.
/// </summary>
[Trait("Category", "Gateway")]
public sealed class SocketConnectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HandlerThrows_MessageIsRefusedInternalError_LoggedOnceAtError_AndTheSocketGoesOn()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var clientTcp = new TcpClient();
        await clientTcp.ConnectAsync((IPEndPoint)listener.LocalEndpoint, Ct);
        using var serverTcp = await listener.AcceptTcpClientAsync(Ct);
        using var server = WebSocket.CreateFromStream(serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
        using var client = WebSocket.CreateFromStream(clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false });
        var logs = new CapturedLogs();
        var connection = new ScriptedConnection(server, logs.CreateLogger("Sawt.Gateway.WebSockets"));
        using var stop = new CancellationTokenSource();
        var run = connection.RunAsync(stop.Token, CancellationToken.None);

        await SendAsync(client, "boom");
        Assert.Equal("refused internal_error", await ReceiveAsync(client));
        await SendAsync(client, "echo");
        Assert.Equal("echo", await ReceiveAsync(client));

        var failures = logs.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        var failure = Assert.Single(failures);
        Assert.Equal((LogLevel.Error, 1021), (failure.Level, failure.EventId.Id));
        Assert.IsType<InvalidOperationException>(failure.Exception);

        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", Ct);
        await run.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    private static Task SendAsync(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, Ct);

    private static async Task<string> ReceiveAsync(WebSocket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var buffer = new byte[1024];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    /// <summary>Echoes text frames, except "boom", whose handler throws as a gateway bug would.</summary>
    private sealed class ScriptedConnection(WebSocket socket, ILogger logger)
        : SocketConnection(socket, "/test", new GatewayOptions(), TimeProvider.System, logger)
    {
        protected override Task OnTextAsync(ReadOnlyMemory<byte> message)
        {
            var text = Encoding.UTF8.GetString(message.Span);
            return text == "boom"
                ? throw new InvalidOperationException("scripted handler failure")
                : EnqueueAsync(new OutgoingFrame(message.ToArray(), null), TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        protected override Task OnBinaryAsync(ReadOnlyMemory<byte> message) => Task.CompletedTask;

        protected override Task RefuseAsync(ApiError error) =>
            EnqueueOrAbandonAsync(Encoding.UTF8.GetBytes("refused " + error.Code));

        protected override void OnReceiveEnded()
        {
        }

        protected override Task OnStoppedAsync() => Task.CompletedTask;

        protected override void OnIdle()
        {
        }
    }
}
