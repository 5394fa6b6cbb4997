namespace Sawt.Bench.Load;

/// <summary>One verification failure: its kind, the context (null for the socket), and what was seen.</summary>
internal sealed record StreamViolation(ViolationKind Kind, string? ContextId, string Detail)
{
    public override string ToString() => $"{Kind} [{ContextId ?? "socket"}]: {Detail}";
}
