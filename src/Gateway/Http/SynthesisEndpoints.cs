using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Audio;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Limits;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Http;

/// <summary>
/// HTTP synthesis: <c>POST /v1/tts</c>, <c>POST /v1/tts/stream</c>, OpenAI's <c>POST /v1/audio/speech</c> and the
/// guide's <c>GET /tts/stream</c>. Each reads its whole request before starting a session; refusals are thrown and
/// answered by <see cref="ApiErrorFilter"/>.
/// </summary>
internal static class SynthesisEndpoints
{
    public static IEndpointRouteBuilder MapSynthesisEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Each synthesis holds one of its key's running contexts (ContextLimitFilter).
        endpoints.MapPost("/v1/tts", TtsAsync).AddEndpointFilter(ContextLimitFilter.InvokeAsync);
        endpoints.MapPost("/v1/tts/stream", TtsStreamAsync).AddEndpointFilter(ContextLimitFilter.InvokeAsync);
        endpoints.MapPost("/v1/audio/speech", OpenAiSpeechAsync).AddEndpointFilter(ContextLimitFilter.InvokeAsync);
        endpoints.MapGet("/tts/stream", CompatStreamAsync).AddEndpointFilter(ContextLimitFilter.InvokeAsync);
        return endpoints;
    }

    private static async Task TtsAsync(HttpContext http, ISessionBackend backend, AudioEncoders encoders, IOptions<GatewayOptions> options)
    {
        using var body = await HttpSynthesis.ReadJsonAsync(http, options.Value.MaxHttpBodyBytes);
        var start = SynthesisRequestParser.Parse(body.RootElement, options.Value, allowIncremental: false);
        var (session, transcoding) = ContainerEncoding.Resolve(start, encoders);
        LogSynthesis(http, "/v1/tts", start);
        await HttpSynthesis.WholeAsync(http, backend, session, wrapWav: true, transcoding);
    }

    private static async Task TtsStreamAsync(HttpContext http, ISessionBackend backend, AudioEncoders encoders, IOptions<GatewayOptions> options)
    {
        using var body = await HttpSynthesis.ReadJsonAsync(http, options.Value.MaxHttpBodyBytes);
        var start = SynthesisRequestParser.Parse(body.RootElement, options.Value, allowIncremental: false);
        var (session, transcoding) = ContainerEncoding.Resolve(start, encoders);
        LogSynthesis(http, "/v1/tts/stream", start);
        await HttpSynthesis.StreamAsync(http, backend, session, transcoding: transcoding);
    }

    private static async Task OpenAiSpeechAsync(HttpContext http, ISessionBackend backend, AudioEncoders encoders, IOptions<GatewayOptions> options)
    {
        using var body = await HttpSynthesis.ReadJsonAsync(http, options.Value.MaxHttpBodyBytes);
        var request = OpenAiSpeech.Read(body.RootElement, options.Value, encoders);
        LogSynthesis(http, "/v1/audio/speech", request.Start);
        if (request.Wav)
        {
            await HttpSynthesis.WholeAsync(http, backend, request.Start, wrapWav: true, request.Transcoding);
        }
        else
        {
            await HttpSynthesis.StreamAsync(http, backend, request.Start, transcoding: request.Transcoding);
        }
    }

    private static async Task CompatStreamAsync(HttpContext http, ISessionBackend backend, IOptions<GatewayOptions> options)
    {
        // The raw query: ASP.NET Core's parsed one has already replaced what does not decode (QueryParameters).
        var start = CompatRequestReader.ReadQuery(http.Request.QueryString.Value, options.Value);
        LogSynthesis(http, "/tts/stream", start);
        await HttpSynthesis.StreamAsync(http, backend, start, static (response, _, sampleRate) =>
        {
            response.StatusCode = 200;
            response.ContentType = "audio/raw";
            response.Headers["X-Sample-Rate"] = sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["X-Channels"] = "1";
            response.Headers["X-Format"] = "float32";
        });
    }

    private static void LogSynthesis(HttpContext http, string endpoint, SessionStart start) =>
        GatewayLog.HttpSynthesis(HttpErrors.Logger(http), endpoint, start.Text.Length, start.Output.Encoding);
}
