namespace Sawt.Client;

/// <summary>Where the gateway is and how to talk to it.</summary>
public sealed record SawtClientOptions
{
    /// <summary>The gateway's HTTP address, e.g. <c>http://localhost:8080/</c>; the WebSocket is <c>ws://…/v1/ws</c>.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The API key, sent as <c>Authorization: Bearer</c>; null for a gateway without keys.</summary>
    public string? ApiKey { get; init; }

    /// <summary>How a connection reconnects after its socket drops.</summary>
    public ReconnectPolicy Reconnect { get; init; } = new();

    /// <summary>
    /// Audio chunks buffered per context before the socket's reader waits for the application. A context whose audio
    /// is not read holds up the socket's other contexts once its buffer is full (and the gateway, after its
    /// <c>SlowConsumerTimeout</c>, cancels it with <c>slow_consumer</c>).
    /// </summary>
    public int ContextBufferCapacity { get; init; } = 256;

    /// <summary>How long closing a connection waits for the gateway's close before aborting the socket.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Sees every frame received, before it is interpreted; none when null.</summary>
    public FrameObserver? FrameObserver { get; init; }

    /// <summary>The clock reconnection delays run on.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
