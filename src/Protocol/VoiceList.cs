using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary>A page of <c>GET /v1/voices</c>.</summary>
/// <param name="Voices">The tenant's voices ordered by id; the first page starts with <c>default</c>.</param>
/// <param name="HasMore">More voices follow: ask again with <c>after</c> = <paramref name="NextAfter"/>.</param>
/// <param name="NextAfter">The last voice id of this page when <paramref name="HasMore"/>; otherwise null.</param>
public sealed record VoiceList(
    [property: JsonPropertyName("voices")] IReadOnlyList<VoiceDescription> Voices,
    [property: JsonPropertyName("has_more")] bool HasMore,
    [property: JsonPropertyName("next_after"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextAfter);
