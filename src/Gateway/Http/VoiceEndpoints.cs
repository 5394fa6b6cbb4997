using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Sawt.Contracts.Voices;
using Sawt.Gateway.Auth;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Http;

/// <summary>
/// The voices API, per tenant (the caller's API key; one implicit tenant when the API is open):
/// <c>POST /v1/voices</c> (server-assigned id), <c>PUT /v1/voices/{id}</c> (create or replace; <c>POST
/// /v1/voices/{id}</c> is its alias), <c>GET /v1/voices</c> (the default voice, then the tenant's voices, paged),
/// <c>GET /v1/voices/{id}</c> and <c>DELETE /v1/voices/{id}</c>. Uploads are a WAV body or a multipart form with a
/// <c>file</c> field. The cluster checks the audio (unreadable_audio, unsupported_audio_format,
/// reference_audio_too_short/too_long/silent: 400); the gateway checks the id, the body's size (payload_too_large:
/// 413) and its content type (unsupported_media_type: 415). Another tenant's voice is unknown_voice (404), as if it
/// did not exist.
/// </summary>
internal static class VoiceEndpoints
{
    /// <summary>Voices per page of <c>GET /v1/voices</c> unless <c>limit</c> says fewer (the catalog caps it too).</summary>
    public const int MaxPageSize = 100;

    /// <summary>Multipart field names that carry the WAV (ours, then ElevenLabs' add-voice form).</summary>
    private static readonly string[] FileFields = ["file", "files", "audio"];

    private static readonly string[] WavContentTypes = ["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "application/octet-stream"];

    public static IEndpointRouteBuilder MapVoiceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/voices", CreateVoiceAsync);
        endpoints.MapGet("/v1/voices", ListVoicesAsync);
        endpoints.MapPut("/v1/voices/{id}", PutVoiceAsync);
        endpoints.MapPost("/v1/voices/{id}", PutVoiceAsync);
        endpoints.MapGet("/v1/voices/{id}", GetVoiceAsync);
        endpoints.MapDelete("/v1/voices/{id}", DeleteVoiceAsync);
        return endpoints;
    }

    private static async Task CreateVoiceAsync(HttpContext http, ISessionBackend backend, IOptions<GatewayOptions> options)
    {
        var wav = await ReadUploadAsync(http, options.Value.MaxVoiceUploadBytes);

        // 80 random bits: ids never collide in practice, and an id says nothing about its tenant or its audio.
        var id = "v_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var voice = await backend.EnrollVoiceAsync(http.GetTenant(), id, wav, http.RequestAborted);
        GatewayLog.VoiceEnrolled(HttpErrors.Logger(http), id, wav.Length);
        await WriteVoiceAsync(http, voice, StatusCodes.Status201Created);
    }

    private static async Task PutVoiceAsync(HttpContext http, string id, ISessionBackend backend, IOptions<GatewayOptions> options)
    {
        CheckVoiceId(id);
        if (id == VoiceIds.Default)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, "The default voice is read-only; it cannot be replaced.");
        }

        var wav = await ReadUploadAsync(http, options.Value.MaxVoiceUploadBytes);
        var tenant = http.GetTenant();

        // Only for the status (201 or 200): a create racing this one makes both answer 201, which is harmless.
        var existed = await backend.GetVoiceAsync(tenant, id, http.RequestAborted) is not null;
        var voice = await backend.EnrollVoiceAsync(tenant, id, wav, http.RequestAborted);
        GatewayLog.VoiceEnrolled(HttpErrors.Logger(http), id, wav.Length);
        await WriteVoiceAsync(http, voice, existed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task GetVoiceAsync(HttpContext http, string id, ISessionBackend backend)
    {
        CheckVoiceId(id);
        var voice = await backend.GetVoiceAsync(http.GetTenant(), id, http.RequestAborted) ?? throw UnknownVoice(id);
        await WriteVoiceAsync(http, voice, StatusCodes.Status200OK);
    }

    private static async Task DeleteVoiceAsync(HttpContext http, string id, ISessionBackend backend)
    {
        CheckVoiceId(id);
        if (id == VoiceIds.Default)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, "The default voice is read-only; it cannot be deleted.");
        }

        var tenant = http.GetTenant();
        if (!await backend.DeleteVoiceAsync(tenant, id, http.RequestAborted))
        {
            throw UnknownVoice(id);
        }

        GatewayLog.VoiceDeleted(HttpErrors.Logger(http), id, tenant);
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// <c>?limit=</c> (1 to 100, default 100) and <c>?after=</c> (the last id of the previous page). The default voice
    /// leads the first page (it is every tenant's, and not counted in the limit); <c>has_more</c> and
    /// <c>next_after</c> say how to go on.
    /// </summary>
    private static async Task ListVoicesAsync(HttpContext http, ISessionBackend backend)
    {
        var limit = MaxPageSize;
        if (http.Request.Query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxPageSize))
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, $"'limit' must be a whole number from 1 to {MaxPageSize}.");
        }

        var after = http.Request.Query["after"].ToString() is { Length: > 0 } cursor ? cursor : null;
        if (after is not null)
        {
            CheckVoiceId(after);
        }

        var tenant = http.GetTenant();
        var page = await backend.ListVoicesAsync(tenant, after, limit, http.RequestAborted);
        var voices = new List<VoiceInfo>(page.Voices.Length + 1);
        if (after is null && await backend.GetVoiceAsync(tenant, VoiceIds.Default, http.RequestAborted) is { } defaultVoice)
        {
            voices.Add(defaultVoice);
        }

        voices.AddRange(page.Voices);
        http.Response.ContentType = "application/json";
        var list = new VoiceList(
            voices.ConvertAll(Describe),
            page.HasMore,
            page.HasMore && page.Voices.Length > 0 ? page.Voices[^1].VoiceId : null);
        await JsonSerializer.SerializeAsync(http.Response.Body, list, ProtocolJsonContext.Default.VoiceList, http.RequestAborted);
    }

    /// <summary>
    /// The uploaded WAV: a multipart form's <c>file</c> (or <c>files</c>, <c>audio</c>, else its first file) field,
    /// or the raw body (<c>audio/wav</c>, <c>application/octet-stream</c> or no content type). The whole body counts
    /// against <paramref name="maxBytes"/>.
    /// </summary>
    private static async Task<byte[]> ReadUploadAsync(HttpContext http, int maxBytes)
    {
        var contentType = http.Request.ContentType;
        var isForm = http.Request.HasFormContentType;
        if (!isForm && contentType is not null && !WavContentTypes.Any(t => contentType.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ProtocolException(
                ErrorCodes.UnsupportedMediaType,
                "Upload a WAV file as the body (audio/wav) or as the 'file' field of a multipart/form-data form.");
        }

        var body = await HttpSynthesis.ReadBodyAsync(http, maxBytes);
        var wav = isForm ? await ReadFormFileAsync(http, body) : body;
        return wav.Length == 0
            ? throw new ProtocolException(ErrorCodes.UnreadableAudio, "The upload is empty; it must be a WAV file.")
            : wav;
    }

    private static async Task<byte[]> ReadFormFileAsync(HttpContext http, byte[] body)
    {
        // The body is already in memory and within the limit; the form reader parses it from there.
        http.Request.Body = new MemoryStream(body, writable: false);
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, "The multipart form is malformed.");
        }

        var file = FileFields.Select(name => form.Files.GetFile(name)).FirstOrDefault(f => f is not null) ?? form.Files.FirstOrDefault()
            ?? throw new ProtocolException(ErrorCodes.InvalidRequest, "The form has no file; send the WAV as its 'file' field.");
        using var copy = new MemoryStream((int)file.Length);
        await file.CopyToAsync(copy, http.RequestAborted);
        return copy.ToArray();
    }

    private static async Task WriteVoiceAsync(HttpContext http, VoiceInfo voice, int status)
    {
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status201Created)
        {
            http.Response.Headers.Location = "/v1/voices/" + Uri.EscapeDataString(voice.VoiceId);
        }

        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, Describe(voice), ProtocolJsonContext.Default.VoiceDescription, http.RequestAborted);
    }

    /// <summary>The wire form of a voice (Sawt.Protocol), shared with the client libraries.</summary>
    private static VoiceDescription Describe(VoiceInfo voice) => new(
        voice.VoiceId,
        voice.ContentHash,
        voice.DurationSeconds,
        voice.SampleRate,
        voice.Channels,
        voice.CreatedAt,
        voice.Bundle,
        voice.ReadOnly);

    private static ProtocolException UnknownVoice(string id) => new(ErrorCodes.UnknownVoice, $"Voice '{id}' is not enrolled.");

    /// <summary>The path segment as routing decoded it: valid text first (invalid_text), then the id's form.</summary>
    private static void CheckVoiceId(string id)
    {
        TextRules.Check(id, "The voice id in the path");
        SynthesisRequestParser.CheckVoiceId(id);
    }
}
