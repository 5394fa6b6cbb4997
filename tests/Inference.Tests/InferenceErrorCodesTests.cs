namespace Sawt.Inference.Tests;

[Trait("Category", "Unit")]
public sealed class InferenceErrorCodesTests
{
    public static TheoryData<InferenceErrorCode> AllCodes => [.. Enum.GetValues<InferenceErrorCode>()];

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void ToWireName_EveryCode_HasItsOwnSnakeCaseName(InferenceErrorCode code)
    {
        var name = code.ToWireName();

        Assert.NotEqual("unknown", name);
        Assert.Matches("^[a-z]+(_[a-z0-9]+)*$", name);
        Assert.Single(Enum.GetValues<InferenceErrorCode>(), other => other.ToWireName() == name);
    }

    [Theory]
    [InlineData(InferenceErrorCode.InvalidText, 13, "invalid_text")]
    [InlineData(InferenceErrorCode.UnreadableAudio, 20, "unreadable_audio")]
    [InlineData(InferenceErrorCode.ReferenceAudioTooShort, 21, "reference_audio_too_short")]
    [InlineData(InferenceErrorCode.UnsupportedAudioFormat, 22, "unsupported_audio_format")]
    [InlineData(InferenceErrorCode.ReferenceAudioTooLong, 23, "reference_audio_too_long")]
    [InlineData(InferenceErrorCode.ReferenceAudioSilent, 24, "reference_audio_silent")]
    public void InputCodes_NumbersAndWireNames_AreStableAndNotRetryable(InferenceErrorCode code, int number, string wireName)
    {
        Assert.Equal(number, (int)code);
        Assert.Equal(wireName, code.ToWireName());
        Assert.False(new InferenceException(code, "x").IsRetryable);
    }
}
