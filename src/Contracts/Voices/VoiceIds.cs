namespace Sawt.Contracts.Voices;

/// <summary>Well-known voice ids and revisions.</summary>
public static class VoiceIds
{
    /// <summary>The model bundle's own default_voice.wav.</summary>
    public const string Default = "default";

    /// <summary>The revision of <see cref="Default"/>: each worker computes it from its own bundle, so it never changes.</summary>
    public const string DefaultRevision = "bundle";
}
