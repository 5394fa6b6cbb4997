using Sawt.Contracts.Sessions;

namespace Sawt.Gateway.Protocol;

/// <summary>
/// One client frame on <c>/v1/ws</c> as <see cref="ClientMessageReader"/> read it: a fully validated message, or an
/// <see cref="InvalidMessage"/>. Nothing acts on a frame before it is one of these, so a refused frame never
/// half-acts (its text queued, its flag ignored).
/// </summary>
internal abstract record ParsedMessage;

/// <summary>A valid message; every one names its context.</summary>
internal abstract record ParsedContextMessage(string ContextId) : ParsedMessage;

/// <summary><c>synthesize</c>: start a context.</summary>
internal sealed record ParsedSynthesize(string ContextId, SessionStart Start) : ParsedContextMessage(ContextId);

/// <summary><c>text</c>: more text for an incremental context, then a flush when asked.</summary>
internal sealed record ParsedText(string ContextId, string Text, bool Flush) : ParsedContextMessage(ContextId);

/// <summary><c>flush</c>: speak the buffered text now.</summary>
internal sealed record ParsedFlush(string ContextId) : ParsedContextMessage(ContextId);

/// <summary><c>end</c>: no more text for the context.</summary>
internal sealed record ParsedEnd(string ContextId) : ParsedContextMessage(ContextId);

/// <summary><c>cancel</c>: stop the context now.</summary>
internal sealed record ParsedCancel(string ContextId) : ParsedContextMessage(ContextId);

/// <summary>
/// A frame that is not a valid message: it is answered with <paramref name="Error"/> and nothing else happens.
/// </summary>
/// <param name="Error">Why it was refused.</param>
/// <param name="ContextId">Its <c>context_id</c> when that was valid, to echo; otherwise null.</param>
/// <param name="StartsContext">It was a <c>synthesize</c>: for an id not active, the error is that context's end.</param>
internal sealed record InvalidMessage(ApiError Error, string? ContextId, bool StartsContext) : ParsedMessage;
