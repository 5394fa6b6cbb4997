namespace Sawt.Protocol;

/// <summary><c>end</c>: end of input: the rest is spoken, then <c>done</c>.</summary>
/// <param name="ContextId">The context.</param>
public sealed record EndMessage(string ContextId) : ClientMessage(ContextId);
