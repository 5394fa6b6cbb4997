namespace Sawt.Protocol;

/// <summary><c>flush</c>: speak the buffered text now, without waiting for a sentence end.</summary>
/// <param name="ContextId">The context.</param>
public sealed record FlushMessage(string ContextId) : ClientMessage(ContextId);
