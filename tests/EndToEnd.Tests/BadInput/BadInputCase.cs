using System.Net.WebSockets;

namespace Sawt.EndToEnd.Tests.BadInput;

/// <summary>What the protocol promises for one input (docs/protocol.md).</summary>
internal abstract record Expect;

/// <summary>
/// An error with <paramref name="Code"/>; on /v1/ws it carries <paramref name="ContextId"/> (null: none) with
/// <paramref name="ContextEnded"/>, and the socket stays usable. On /ws/tts: the error status, then close 1000 with the code.
/// </summary>
internal sealed record Refused(string Code, string? ContextId = null, bool ContextEnded = false) : Expect;

/// <summary>The server closes the socket with <paramref name="Status"/> (the socket's contexts end with it).</summary>
internal sealed record ClosedWith(WebSocketCloseStatus Status) : Expect;

/// <summary>The input is valid (what it gets wrong is ignored): on /v1/ws the context <paramref name="ContextId"/> ends with <c>done</c>.</summary>
internal sealed record Accepted(string ContextId = "") : Expect;

/// <summary>
/// An HTTP status with the JSON error <paramref name="Code"/>; null code: a status the HTTP server answers before
/// the request reaches the gateway (documented as bodiless), or a success with audio.
/// </summary>
internal sealed record HttpAnswer(int Status, string? Code) : Expect;

/// <summary>One /v1/ws input: a frame, optionally against a fresh incremental context <c>t</c> that must speak nothing.</summary>
internal sealed record WsCase(string Id, byte[] Frame, Expect Expect, bool UsesTarget = false, bool Binary = false)
{
    public override string ToString() => Id;
}

/// <summary>One /ws/tts input (each on its own socket: every error closes it).</summary>
internal sealed record CompatCase(string Id, byte[] Frame, Expect Expect, bool Binary = false)
{
    public override string ToString() => Id;
}

/// <summary>One HTTP request: the path and query exactly as written (not repaired by System.Uri), and a body.</summary>
internal sealed record HttpCase(string Id, string Method, string PathAndQuery, byte[]? Body, HttpAnswer Expect, string ContentType = "application/json")
{
    public override string ToString() => Id;
}
