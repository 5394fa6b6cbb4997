using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary><c>sampling</c>: how speech tokens are drawn. Null fields take the session's defaults.</summary>
/// <param name="Temperature">At least 0; 0 is greedy.</param>
/// <param name="MinP">Minimum probability relative to the most likely token.</param>
/// <param name="TopP">Nucleus mass.</param>
/// <param name="RepetitionPenalty">Penalty on repeated tokens.</param>
/// <param name="CfgWeight">Classifier-free guidance weight.</param>
/// <param name="Exaggeration">Emotion exaggeration.</param>
/// <param name="Seed">Random seed.</param>
/// <param name="MaxNewTokens">Most speech tokens per sentence.</param>
public sealed record SamplingParameters(
    [property: JsonPropertyName("temperature")] float? Temperature = null,
    [property: JsonPropertyName("min_p")] float? MinP = null,
    [property: JsonPropertyName("top_p")] float? TopP = null,
    [property: JsonPropertyName("repetition_penalty")] float? RepetitionPenalty = null,
    [property: JsonPropertyName("cfg_weight")] float? CfgWeight = null,
    [property: JsonPropertyName("exaggeration")] float? Exaggeration = null,
    [property: JsonPropertyName("seed")] ulong? Seed = null,
    [property: JsonPropertyName("max_new_tokens")] int? MaxNewTokens = null);
