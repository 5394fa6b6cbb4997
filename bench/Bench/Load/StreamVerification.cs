namespace Sawt.Bench.Load;

/// <summary>One socket's streams by context id, the violations found, and errors that named no context.</summary>
internal sealed record StreamVerification(
    IReadOnlyDictionary<string, ContextStream> Contexts,
    IReadOnlyList<StreamViolation> Violations,
    IReadOnlyList<string> SocketErrors);
