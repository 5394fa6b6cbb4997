namespace Sawt.Contracts.Voices;

/// <summary>Well-known voice ids.</summary>
public static class VoiceIds
{
    /// <summary>The model bundle's own default_voice.wav.</summary>
    public const string Default = "default";
}
