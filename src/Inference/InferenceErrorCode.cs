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

    /// <summary>The reference audio cannot be read as WAV.</summary>
    UnreadableAudio = 20,

    /// <summary>The reference audio is too short to condition a voice.</summary>
    ReferenceAudioTooShort = 21,

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
