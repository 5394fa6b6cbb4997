namespace Sawt.Protocol;

/// <summary><c>cancel</c>: stop now; answered with <c>cancelled</c>.</summary>
/// <param name="ContextId">The context.</param>
public sealed record CancelMessage(string ContextId) : ClientMessage(ContextId);
