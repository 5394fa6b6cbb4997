using Sawt.Contracts.Voices;

namespace Sawt.Bench.Voices;

/// <summary>Everything the voices bench measured.</summary>
/// <param name="ConditionalsBytes">One voice's conditionals in this bundle (float32 features and embeddings, int64 prompt tokens), before serialisation.</param>
/// <param name="Silos">Each silo's endpoint, in the order the report names them (silo A, B, ...).</param>
/// <param name="Counters">Each silo's voice store counters over the timed part (end minus after the warm-up).</param>
internal sealed record VoicesBenchReport(
    VoicesBenchSettings Settings,
    double? GenerateSeconds,
    string RedisVersion,
    long ConditionalsBytes,
    IReadOnlyList<string> Silos,
    IReadOnlyList<VoiceUpload> Uploads,
    IReadOnlyList<VoiceUtterance> Utterances,
    IReadOnlyList<VoiceStoreStats> Counters)
{
    /// <summary>A silo's short name in the report: A for the first, B for the second, ...</summary>
    public string SiloName(string endpoint)
    {
        var index = Silos.ToList().IndexOf(endpoint);
        return index < 0 ? endpoint : ((char)('A' + index)).ToString();
    }
}

/// <summary>
/// One <c>PUT /v1/voices/{id}</c>: its wall time from the request to the response, and the silo whose counters show the
/// computation (<see cref="ComputedOn"/>: where the voice's speaker grain runs, so where its conditionals went into memory).
/// </summary>
internal sealed record VoiceUpload(int Index, string VoiceId, int WavBytes, double Milliseconds, string? ComputedOn, long Encodings, long RedisMisses);

/// <summary>
/// One WebSocket utterance: the voice (null for the default), which silos' T3 and decoder workers served it (from the
/// registry's <c>Served</c> counts), whether either silo was new to this voice, where the conditionals came from (from
/// the counters' growth during the utterance), and its first-audio times in milliseconds (the bench's, from the
/// <c>synthesize</c> send to the first binary audio frame; the session's own, from <c>done</c>).
/// </summary>
/// <param name="Kind">How the serving silos relate to the voice: see <see cref="UtteranceKind"/>.</param>
internal sealed record VoiceUtterance(
    int? VoiceIndex,
    int Ordinal,
    string Silo,
    string DecoderSilo,
    UtteranceKind Kind,
    ConditionalsSource Source,
    double FirstAudioMilliseconds,
    double SessionFirstAudioMilliseconds,
    string CounterGrowth);

/// <summary>How an utterance's serving silos (T3 and decoder) relate to its voice.</summary>
internal enum UtteranceKind
{
    /// <summary>The bundle's default voice.</summary>
    Default,

    /// <summary>Both workers on the silo whose speaker grain computed the voice at upload, neither having served it yet.</summary>
    FirstOnComputingSilo,

    /// <summary>Both workers on a silo other than the computing one, which had not served the voice yet.</summary>
    FirstOnOtherSilo,

    /// <summary>A first use on some silo, with the T3 and decoder workers on different silos.</summary>
    FirstSplit,

    /// <summary>Every serving silo had served the voice before.</summary>
    Repeat,

    /// <summary>After every silo dropped the voice from memory (<c>ForgetVoice</c> on each T3 worker), as after restarts; both workers on the silo of the voice's speaker grain.</summary>
    AfterForgetOnComputingSilo,

    /// <summary>As <see cref="AfterForgetOnComputingSilo"/>, with a worker on another silo (a silo hop to the speaker grain as well).</summary>
    AfterForgetElsewhere,
}

/// <summary>Where a worker found a voice's conditionals, as the voice store counters show it.</summary>
internal enum ConditionalsSource
{
    /// <summary>The bundle's default voice: from the worker's engine, never the store.</summary>
    Bundle,

    /// <summary>The serving silos' memory layers: memory hits only.</summary>
    LocalMemory,

    /// <summary>A memory miss on a serving silo, and neither a Redis hit nor an encoding: the voice's speaker grain answered from its own silo's memory.</summary>
    SpeakerSiloMemory,

    /// <summary>A memory miss on a serving silo; Redis served it.</summary>
    Redis,

    /// <summary>Computed by the speech encoder during the utterance.</summary>
    Computed,

    /// <summary>Counters that fit none of the above (reported as they are).</summary>
    Unexplained,
}
