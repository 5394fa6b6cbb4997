namespace Sawt.Inference.Voices;

/// <summary>Why a stored voice entry was refused by <see cref="VoiceEntryFormat.Read"/>.</summary>
public enum VoiceEntryRejection
{
    /// <summary>Shorter than its header or than the lengths it declares.</summary>
    Truncated,

    /// <summary>Does not start with <see cref="VoiceEntryFormat.Magic"/>: not a voice entry.</summary>
    WrongMagic,

    /// <summary>A format version this build does not read (an older or a newer writer).</summary>
    UnsupportedVersion,

    /// <summary>The trailing checksum does not match the bytes: corrupted in storage or in transit.</summary>
    ChecksumMismatch,

    /// <summary>Lengths out of bounds or inconsistent, or bytes after the checksum.</summary>
    Malformed,
}
