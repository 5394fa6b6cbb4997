using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Http;
using Sawt.Gateway.Protocol;
using Sawt.Gateway.WebSockets;

namespace Sawt.Gateway;

/// <summary>Maps the gateway's endpoints onto an application (standalone or co-hosted in a silo).</summary>
public static class GatewayEndpoints
{
    /// <summary>
    /// Adds WebSocket support and maps <c>/v1/ws</c>, the HTTP API under <c>/v1</c>, health probes, the guide's
    /// compatibility endpoints (<c>/ws/tts</c>, <c>GET /tts/stream</c>) and the demo page at <c>/</c>.
    /// Needs <see cref="GatewayServiceCollectionExtensions.AddSawtGateway"/>.
    /// </summary>
    public static WebApplication MapSawtGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWebSockets();

        app.MapGet("/", ServeDemoPage).ExcludeFromDescription();
        app.MapGet("/healthz", () => Results.Json(new Dictionary<string, string> { ["status"] = "ok" }));
        app.MapGet("/readyz", ReadyAsync);

        var v1 = app.MapGroup("/v1");
        v1.Map("/ws", (HttpContext http) => AcceptAsync(http, "/v1/ws"));
        v1.MapPost("/tts", TtsAsync);
        v1.MapPost("/tts/stream", TtsStreamAsync);
        v1.MapPost("/audio/speech", OpenAiSpeechAsync);
        v1.MapPost("/voices/{id}", EnrollVoiceAsync);
        v1.MapGet("/voices/{id}", GetVoiceAsync);

        // The user's guide (FastAPI server): same paths, same shapes.
        app.Map("/ws/tts", (HttpContext http) => AcceptAsync(http, "/ws/tts"));
        app.MapGet("/tts/stream", CompatStreamAsync);
        return app;
    }

    private static async Task AcceptAsync(HttpContext http, string endpoint)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await HttpSynthesis.WriteErrorAsync(http, new ApiError(ErrorCodes.InvalidRequest, "This endpoint speaks WebSocket only.", false));
            return;
        }

        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var backend = services.GetRequiredService<ISessionBackend>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Sawt.Gateway.WebSockets");
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        GatewayLog.SocketAccepted(logger, endpoint, http.Connection.RemoteIpAddress?.ToString());
        SocketConnection connection = endpoint == "/ws/tts"
            ? new CompatSocketConnection(socket, backend, options, time, logger)
            : new TtsSocketConnection(socket, backend, options, time, logger);
        try
        {
            await connection.RunAsync(stopping);
        }
        catch (Exception exception)
        {
            GatewayLog.SocketLoopFailed(logger, endpoint, exception);
            socket.Abort();
        }
    }

    private static async Task ReadyAsync(HttpContext http, ISessionBackend backend, ILoggerFactory loggers)
    {
        bool ready;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            ready = await backend.IsReadyAsync(timeout.Token);
        }
        catch (Exception exception)
        {
            GatewayLog.ReadinessCheckFailed(loggers.CreateLogger("Sawt.Gateway.Http"), exception);
            ready = false;
        }

        if (ready)
        {
            await Results.Json(new Dictionary<string, string> { ["status"] = "ready" }).ExecuteAsync(http);
            return;
        }

        await HttpSynthesis.WriteErrorAsync(http, new ApiError(ErrorCodes.NotReady, "No ready T3 and decoder workers yet.", true, 1));
    }

    private static Task TtsAsync(HttpContext http, ISessionBackend backend, IOptions<GatewayOptions> options) =>
        WithRequestAsync(http, options.Value, async root =>
        {
            var start = SynthesisRequestParser.Parse(root, options.Value, allowIncremental: false);
            LogSynthesis(http, "/v1/tts", start);
            await HttpSynthesis.WholeAsync(http, backend, start, wrapWav: true);
        });

    private static Task TtsStreamAsync(HttpContext http, ISessionBackend backend, IOptions<GatewayOptions> options) =>
        WithRequestAsync(http, options.Value, async root =>
        {
            var start = SynthesisRequestParser.Parse(root, options.Value, allowIncremental: false);
            LogSynthesis(http, "/v1/tts/stream", start);
            await HttpSynthesis.StreamAsync(http, backend, start);
        });

    private static Task OpenAiSpeechAsync(HttpContext http, ISessionBackend backend, IOptions<GatewayOptions> options) =>
        WithRequestAsync(http, options.Value, async root =>
        {
            var input = JsonFields.RequiredString(root, "input");
            SynthesisRequestParser.CheckTextLength(input.Length, options.Value);
            var format = JsonFields.String(root, "response_format") ?? "wav";
            if (!OpenAiSpeech.KnownFormats.Contains(format))
            {
                throw new ProtocolException(ErrorCodes.InvalidRequest, $"Unknown response_format '{format}'.");
            }

            if (format is not ("wav" or "pcm"))
            {
                throw new ProtocolException(ErrorCodes.UnsupportedFormat, $"response_format '{format}' is not produced; use wav or pcm (24 kHz 16-bit mono).");
            }

            if (JsonFields.Double(root, "speed") is { } speed && Math.Abs(speed - 1.0) > 1e-9)
            {
                throw new ProtocolException(ErrorCodes.InvalidOptions, "Only speed 1.0 is supported.");
            }

            var voice = OpenAiSpeech.MapVoice(JsonFields.String(root, "voice"));
            SynthesisRequestParser.CheckVoiceId(voice);
            var start = new SessionStart
            {
                Text = input,
                Language = JsonFields.String(root, "language") ?? options.Value.DefaultLanguage,
                VoiceId = voice,
                Output = new OutputFormatSettings { Encoding = "pcm_s16le", SampleRate = 24000 },
            };
            LogSynthesis(http, "/v1/audio/speech", start);
            if (format == "wav")
            {
                await HttpSynthesis.WholeAsync(http, backend, start, wrapWav: true);
            }
            else
            {
                await HttpSynthesis.StreamAsync(http, backend, start);
            }
        });

    private static async Task EnrollVoiceAsync(HttpContext http, string id, ISessionBackend backend, IOptions<GatewayOptions> options, ILoggerFactory loggers)
    {
        try
        {
            SynthesisRequestParser.CheckVoiceId(id);
            if (id == VoiceIds.Default)
            {
                throw new ProtocolException(ErrorCodes.InvalidRequest, "The default voice cannot be replaced.");
            }

            var wav = await HttpSynthesis.ReadBodyAsync(http, options.Value.MaxVoiceUploadBytes);
            if (wav.Length == 0)
            {
                throw new ProtocolException(ErrorCodes.InvalidRequest, "The body must be a WAV file.");
            }

            await backend.EnrollVoiceAsync(id, wav, http.RequestAborted);
            GatewayLog.VoiceEnrolled(loggers.CreateLogger("Sawt.Gateway.Http"), id, wav.Length);
            http.Response.StatusCode = StatusCodes.Status201Created;
            await http.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["voice_id"] = id }, http.RequestAborted);
        }
        catch (ProtocolException exception)
        {
            await HttpSynthesis.WriteErrorAsync(http, ApiError.From(exception));
        }
        catch (SessionRejectedException exception)
        {
            await HttpSynthesis.WriteErrorAsync(http, ApiError.From(exception));
        }
    }

    private static async Task GetVoiceAsync(HttpContext http, string id, ISessionBackend backend)
    {
        try
        {
            SynthesisRequestParser.CheckVoiceId(id);
            if (!await backend.VoiceExistsAsync(id, http.RequestAborted))
            {
                throw new ProtocolException(ErrorCodes.UnknownVoice, $"Voice '{id}' is not enrolled.");
            }

            await http.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["voice_id"] = id }, http.RequestAborted);
        }
        catch (ProtocolException exception)
        {
            await HttpSynthesis.WriteErrorAsync(http, ApiError.From(exception));
        }
    }

    private static async Task CompatStreamAsync(HttpContext http, ISessionBackend backend, IOptions<GatewayOptions> options)
    {
        try
        {
            var query = http.Request.Query;
            var text = query["text"].ToString();
            if (text.Length == 0)
            {
                throw new ProtocolException(ErrorCodes.InvalidRequest, "Query parameter 'text' is required.");
            }

            SynthesisRequestParser.CheckTextLength(text.Length, options.Value);
            var voice = query.TryGetValue("speaker_id", out var speaker) && speaker.ToString().Length > 0 ? speaker.ToString() : VoiceIds.Default;
            SynthesisRequestParser.CheckVoiceId(voice);
            var language = query.TryGetValue("language_id", out var lang) && lang.ToString().Length > 0 ? lang.ToString() : options.Value.DefaultLanguage;
            var start = new SessionStart
            {
                Text = text,
                Language = language,
                VoiceId = voice,
                Output = new OutputFormatSettings { Encoding = "pcm_f32le", SampleRate = 24000 },
            };
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
        catch (ProtocolException exception)
        {
            await HttpSynthesis.WriteErrorAsync(http, ApiError.From(exception));
        }
    }

    private static async Task WithRequestAsync(HttpContext http, GatewayOptions options, Func<JsonElement, Task> handle)
    {
        try
        {
            using var document = await HttpSynthesis.ReadJsonAsync(http, options.MaxHttpBodyBytes);
            await handle(document.RootElement);
        }
        catch (ProtocolException exception)
        {
            await HttpSynthesis.WriteErrorAsync(http, ApiError.From(exception));
        }
    }

    private static void LogSynthesis(HttpContext http, string endpoint, SessionStart start) =>
        GatewayLog.HttpSynthesis(
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Sawt.Gateway.Http"),
            endpoint,
            start.Text.Length,
            start.Output.Encoding);

    private static async Task ServeDemoPage(HttpContext http)
    {
        await using var page = Assembly.GetExecutingAssembly().GetManifestResourceStream("Sawt.Gateway.Demo.index.html")
            ?? throw new InvalidOperationException("The demo page resource is missing from the assembly.");
        http.Response.ContentType = "text/html; charset=utf-8";
        await page.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
