namespace Sawt.Inference.Voices;

/// <summary>A stored voice entry that must not be used; <see cref="Reason"/> says why.</summary>
public sealed class VoiceEntryException(VoiceEntryRejection reason, string message) : Exception(message)
{
    public VoiceEntryRejection Reason { get; } = reason;
}
