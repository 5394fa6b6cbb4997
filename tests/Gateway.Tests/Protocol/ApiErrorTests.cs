using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Tests.Protocol;

/// <summary>The HTTP status of each error code, as docs/protocol.md lists them.</summary>
[Trait("Category", "Unit")]
public sealed class ApiErrorTests
{
    [Theory]
    [InlineData("invalid_json", 400)]
    [InlineData("invalid_request", 400)]
    [InlineData("invalid_text", 400)]
    [InlineData("text_too_long", 400)]
    [InlineData("unsupported_format", 400)]
    [InlineData("invalid_options", 400)]
    [InlineData("unsupported_language", 400)]
    [InlineData("empty_text", 400)]
    [InlineData("unreadable_audio", 400)]
    [InlineData("unsupported_audio_format", 400)]
    [InlineData("reference_audio_too_short", 400)]
    [InlineData("reference_audio_too_long", 400)]
    [InlineData("reference_audio_silent", 400)]
    [InlineData("unknown_voice", 404)]
    [InlineData("not_found", 404)]
    [InlineData("method_not_allowed", 405)]
    [InlineData("request_timeout", 408)]
    [InlineData("payload_too_large", 413)]
    [InlineData("unsupported_media_type", 415)]
    [InlineData("busy", 429)]
    [InlineData("not_ready", 503)]
    [InlineData("encoder_unavailable", 503)]
    [InlineData("unavailable", 503)]
    [InlineData("no_workers", 503)]
    [InlineData("shutting_down", 503)]
    [InlineData("deadline_exceeded", 504)]
    [InlineData("internal_error", 500)]
    [InlineData("stream_error", 500)]
    [InlineData("audio_gap", 500)]
    [InlineData("runtime_failure", 500)]
    [InlineData("some_future_code", 500)]
    public void HttpStatus_OfEachCode_IsTheDocumentedOne(string code, int status)
    {
        Assert.Equal(status, new ApiError(code, "m", false).HttpStatus);
    }

    [Theory]
    [InlineData(400, "invalid_request")]
    [InlineData(404, "not_found")]
    [InlineData(405, "method_not_allowed")]
    [InlineData(408, "request_timeout")]
    [InlineData(413, "payload_too_large")]
    [InlineData(415, "unsupported_media_type")]
    [InlineData(503, "unavailable")]
    [InlineData(500, "internal_error")]
    public void ForStatus_FrameworkStatuses_GetTheCodeThatMapsBack(int status, string code)
    {
        var error = ApiError.ForStatus(status);
        Assert.Equal((code, status), (error.Code, error.HttpStatus));
    }
}
