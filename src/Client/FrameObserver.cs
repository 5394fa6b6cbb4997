using System.Net.WebSockets;

namespace Sawt.Client;

/// <summary>
/// Sees one whole frame a <see cref="SawtConnection"/> received, before the connection interprets it (a load
/// generator verifying the stream independently, a protocol trace). Called on the connection's reading loop, in
/// arrival order; the payload is valid only during the call, and a slow observer slows the socket's reading.
/// </summary>
/// <param name="type">Text or binary.</param>
/// <param name="payload">The frame's bytes.</param>
public delegate void FrameObserver(WebSocketMessageType type, ReadOnlySpan<byte> payload);
