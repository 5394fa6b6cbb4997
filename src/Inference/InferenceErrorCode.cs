namespace Sawt.Inference;

/// <summary>
/// Stable reason codes for engine failures. The string form (snake_case, see <see cref="InferenceErrorCodes"/>)
/// is what APIs and logs show; values are never renumbered or reused.
/// </summary>
public enum InferenceErrorCode
{
    /// <summary>A file the bundle needs is absent.</summary>
    BundleFileMissing = 1,

    /// <summary>A graph file exists but ONNX Runtime cannot load it.</summary>
    BundleGraphCorrupt = 2,

    /// <summary>A graph lacks a tensor the contract requires, or has one the engine cannot feed.</summary>
    BundleTensorMissing = 3,

    /// <summary>A tensor has the wrong element type or rank.</summary>
    BundleTensorMismatch = 4,

    /// <summary>A bundle metadata file (tokenizer.json, config.json, ...) is malformed.</summary>
    BundleMetadataInvalid = 5,

    /// <summary>The language code is not one of the 23 supported ones.</summary>
    UnsupportedLanguage = 10,

    /// <summary>The text is empty or only whitespace.</summary>
    EmptyText = 11,

    /// <summary>The text is longer than the model's text positions allow.</summary>
    TextTooLong = 12,

    /// <summary>
    /// The text is not valid text: it holds a lone UTF-16 surrogate, U+0000, or a Unicode non-character
    /// (U+FDD0..U+FDEF, or any code point ending in FFFE or FFFF). The message names the first such code
    /// point and its UTF-16 offset, never the text itself.
    /// </summary>
    InvalidText = 13,

    /// <summary>
    /// The reference audio cannot be read as WAV: not RIFF/WAVE, a missing or truncated chunk, zero channels,
    /// no samples, or a sample that is NaN or infinite.
    /// </summary>
    UnreadableAudio = 20,

    /// <summary>The reference audio is shorter than the minimum (1 s unless configured otherwise).</summary>
    ReferenceAudioTooShort = 21,

    /// <summary>
    /// The audio is a readable WAV file in a format the engine does not take: an encoding other than PCM or
    /// IEEE float, an unsupported bit depth, a sample rate outside the accepted range or too many channels.
    /// The message names the value and the accepted range.
    /// </summary>
    UnsupportedAudioFormat = 22,

    /// <summary>The reference audio is longer than <see cref="Audio.ReferenceAudio.MaximumDurationSeconds"/>.</summary>
    ReferenceAudioTooLong = 23,

    /// <summary>The reference audio is (near) silent: its RMS level is below <see cref="Audio.ReferenceAudio.SilenceRmsThreshold"/>.</summary>
    ReferenceAudioSilent = 24,

    /// <summary>Request options are out of range.</summary>
    InvalidOptions = 30,

    /// <summary>A forced execution provider (e.g. cuda:0) is not available on this machine.</summary>
    ExecutionProviderUnavailable = 40,

    /// <summary>ONNX Runtime failed while running a graph.</summary>
    RuntimeFailure = 50,

    /// <summary>The worker is at capacity; retry after the hinted delay.</summary>
    Busy = 60,

    /// <summary>The engine is shutting down and takes no new work.</summary>
    ShuttingDown = 61,
}
