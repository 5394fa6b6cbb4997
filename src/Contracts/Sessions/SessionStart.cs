using Sawt.Contracts.Voices;

namespace Sawt.Contracts.Sessions;

/// <summary>Starts a synthesis session.</summary>
[GenerateSerializer, Immutable, Alias("sawt.session-start")]
public sealed record SessionStart
{
    /// <summary>Text known at start; with <see cref="Incremental"/> more arrives through AppendText.</summary>
    [Id(0)] public string Text { get; init; } = string.Empty;

    /// <summary>One of the 23 language codes, e.g. "ar".</summary>
    [Id(1)] public string Language { get; init; } = "en";

    /// <summary>Voice id known to the speaker grains; "default" is the bundle's default voice.</summary>
    [Id(2)] public string VoiceId { get; init; } = VoiceIds.Default;

    /// <summary>Sampling overrides.</summary>
    [Id(3)] public SamplingSettings Sampling { get; init; } = new();

    /// <summary>Streaming chunk overrides.</summary>
    [Id(4)] public ChunkingSettings Chunking { get; init; } = new();

    /// <summary>When true, text keeps arriving (AppendText/Flush) until Complete.</summary>
    [Id(5)] public bool Incremental { get; init; }

    /// <summary>Audio encoding and rate of the chunks.</summary>
    [Id(7)] public OutputFormatSettings Output { get; init; } = new();

    /// <summary>The session fails with <c>deadline_exceeded</c> if it has not finished by then (UTC).</summary>
    [Id(6)] public DateTimeOffset? Deadline { get; init; }

    /// <summary>
    /// The caller's tenant (from its API key; <see cref="VoiceKeys.OpenTenant"/> when no keys are configured):
    /// <see cref="VoiceId"/> is resolved among this tenant's voices (<see cref="VoiceKeys.Speaker"/>).
    /// </summary>
    [Id(8)] public string Tenant { get; init; } = VoiceKeys.OpenTenant;

    /// <summary>
    /// Decoder quality tier: <c>fast</c> (the decoder worker's variant with the fewest flow steps), <c>balanced</c> (its
    /// default variant; also when null) or <c>best</c> (the most steps). Anything else is refused with
    /// <c>invalid_options</c>.
    /// </summary>
    [Id(9)] public string? Quality { get; init; }

    /// <summary>
    /// How long the session may go without a call from its caller before it counts as abandoned (its gateway died or was
    /// cut off): it then cancels itself and stops its workers' sequences. Any call to the session renews it (the gateway
    /// calls <see cref="ITtsSessionGrain.Renew"/> while it listens). Null: no lease, for callers that do not renew.
    /// </summary>
    [Id(10)] public TimeSpan? Lease { get; init; }
}
