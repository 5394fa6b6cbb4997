namespace Sawt.Inference;

/// <summary>Stable snake_case names of <see cref="InferenceErrorCode"/> for wire protocols and logs.</summary>
public static class InferenceErrorCodes
{
    public static string ToWireName(this InferenceErrorCode code) => code switch
    {
        InferenceErrorCode.BundleFileMissing => "bundle_file_missing",
        InferenceErrorCode.BundleGraphCorrupt => "bundle_graph_corrupt",
        InferenceErrorCode.BundleTensorMissing => "bundle_tensor_missing",
        InferenceErrorCode.BundleTensorMismatch => "bundle_tensor_mismatch",
        InferenceErrorCode.BundleMetadataInvalid => "bundle_metadata_invalid",
        InferenceErrorCode.UnsupportedLanguage => "unsupported_language",
        InferenceErrorCode.EmptyText => "empty_text",
        InferenceErrorCode.TextTooLong => "text_too_long",
        InferenceErrorCode.InvalidText => "invalid_text",
        InferenceErrorCode.UnreadableAudio => "unreadable_audio",
        InferenceErrorCode.ReferenceAudioTooShort => "reference_audio_too_short",
        InferenceErrorCode.UnsupportedAudioFormat => "unsupported_audio_format",
        InferenceErrorCode.ReferenceAudioTooLong => "reference_audio_too_long",
        InferenceErrorCode.ReferenceAudioSilent => "reference_audio_silent",
        InferenceErrorCode.InvalidOptions => "invalid_options",
        InferenceErrorCode.ExecutionProviderUnavailable => "execution_provider_unavailable",
        InferenceErrorCode.RuntimeFailure => "runtime_failure",
        InferenceErrorCode.Busy => "busy",
        InferenceErrorCode.ShuttingDown => "shutting_down",
        _ => "unknown",
    };
}
