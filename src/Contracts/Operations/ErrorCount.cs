namespace Sawt.Contracts.Operations;

/// <summary>How often a public error code ended a session in the window.</summary>
[GenerateSerializer, Immutable, Alias("sawt.error-count")]
public sealed record ErrorCount(
    [property: Id(0)] string Code,
    [property: Id(1)] int Count);
