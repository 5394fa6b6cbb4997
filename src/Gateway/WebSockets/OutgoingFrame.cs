namespace Sawt.Gateway.WebSockets;

/// <summary>
/// One item of a socket's send queue: a JSON text frame, optionally followed by a binary frame. The send loop
/// writes both before the next item, which is how an <c>audio</c> message and its bytes stay paired.
/// </summary>
internal readonly record struct OutgoingFrame(byte[]? Text, byte[]? Binary);
