using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary>
/// A voice as <c>/v1/voices</c> describes it. The audio fields are null for <c>default</c> and for voices enrolled
/// before metadata was kept; they are written as <c>null</c>, never left out.
/// </summary>
/// <param name="VoiceId">The voice id.</param>
/// <param name="ContentHash">The clip's hash: the voice's revision (<c>bundle</c> for <c>default</c>).</param>
/// <param name="DurationSeconds">The upload's length in seconds.</param>
/// <param name="SampleRate">The upload's sample rate in Hz.</param>
/// <param name="Channels">The upload's channel count.</param>
/// <param name="CreatedAt">When this revision was enrolled (UTC, millisecond precision on the wire).</param>
/// <param name="Bundle">The model bundle that computed the voice.</param>
/// <param name="ReadOnly">True for <c>default</c>.</param>
public sealed record VoiceDescription(
    [property: JsonPropertyName("voice_id")] string VoiceId,
    [property: JsonPropertyName("content_hash")] string ContentHash,
    [property: JsonPropertyName("duration_seconds"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? DurationSeconds,
    [property: JsonPropertyName("sample_rate"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? SampleRate,
    [property: JsonPropertyName("channels"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Channels,
    [property: JsonPropertyName("created_at"), JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonConverter(typeof(UtcMillisecondsConverter))] DateTimeOffset? CreatedAt,
    [property: JsonPropertyName("bundle")] string Bundle,
    [property: JsonPropertyName("read_only")] bool ReadOnly);
