namespace Sawt.Gateway.Http;

/// <summary>Mapping of the OpenAI <c>/v1/audio/speech</c> body onto Sawt sessions.</summary>
internal static class OpenAiSpeech
{
    /// <summary>OpenAI's built-in voice names; each maps to Sawt's "default" voice.</summary>
    public static readonly IReadOnlySet<string> BuiltInVoices = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse", "marin", "cedar",
    };

    /// <summary>Formats OpenAI documents; only wav and pcm are produced.</summary>
    public static readonly IReadOnlySet<string> KnownFormats = new HashSet<string>(StringComparer.Ordinal)
    {
        "mp3", "opus", "aac", "flac", "wav", "pcm",
    };

    public static string MapVoice(string? voice) =>
        voice is null || BuiltInVoices.Contains(voice) ? Contracts.Voices.VoiceIds.Default : voice;
}
