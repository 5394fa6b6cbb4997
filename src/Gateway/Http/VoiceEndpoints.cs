using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Sawt.Contracts.Voices;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Http;

/// <summary>
/// Voices: <c>POST /v1/voices/{id}</c> enrols a reference WAV, <c>GET /v1/voices/{id}</c> tells whether one exists.
/// The cluster checks the audio (unreadable_audio, unsupported_audio_format, reference_audio_too_short/too_long/
/// silent: 400); the gateway checks the id and the upload size (payload_too_large: 413).
/// </summary>
internal static class VoiceEndpoints
{
    public static IEndpointRouteBuilder MapVoiceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/voices/{id}", EnrollVoiceAsync);
        endpoints.MapGet("/v1/voices/{id}", GetVoiceAsync);
        return endpoints;
    }

    private static async Task EnrollVoiceAsync(HttpContext http, string id, ISessionBackend backend, IOptions<GatewayOptions> options)
    {
        CheckVoiceId(id);
        if (id == VoiceIds.Default)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, "The default voice cannot be replaced.");
        }

        var wav = await HttpSynthesis.ReadBodyAsync(http, options.Value.MaxVoiceUploadBytes);
        if (wav.Length == 0)
        {
            throw new ProtocolException(ErrorCodes.UnreadableAudio, "The body is empty; it must be a WAV file.");
        }

        await backend.EnrollVoiceAsync(id, wav, http.RequestAborted);
        GatewayLog.VoiceEnrolled(HttpErrors.Logger(http), id, wav.Length);
        http.Response.StatusCode = StatusCodes.Status201Created;
        await http.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["voice_id"] = id }, http.RequestAborted);
    }

    private static async Task GetVoiceAsync(HttpContext http, string id, ISessionBackend backend)
    {
        CheckVoiceId(id);
        if (!await backend.VoiceExistsAsync(id, http.RequestAborted))
        {
            throw new ProtocolException(ErrorCodes.UnknownVoice, $"Voice '{id}' is not enrolled.");
        }

        await http.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["voice_id"] = id }, http.RequestAborted);
    }

    /// <summary>The path segment as routing decoded it: valid text first (invalid_text), then the id's form.</summary>
    private static void CheckVoiceId(string id)
    {
        TextRules.Check(id, "The voice id in the path");
        SynthesisRequestParser.CheckVoiceId(id);
    }
}
