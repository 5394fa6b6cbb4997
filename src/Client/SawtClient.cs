using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sawt.Protocol;

namespace Sawt.Client;

/// <summary>
/// A client of one Sawt gateway: WebSocket connections for streaming contexts (<see cref="ConnectAsync"/>) and the
/// HTTP calls (synthesize, stream, voices). Every failure the gateway reports is a <see cref="SawtException"/> with
/// its stable code; a failure to reach it is the retryable <c>connection_lost</c>.
/// </summary>
public sealed class SawtClient : IDisposable
{
    private const int StreamReadBytes = 16 * 1024;

    private readonly SawtClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ILoggerFactory _loggerFactory;

    /// <param name="options">The gateway's address and key, the reconnect policy.</param>
    /// <param name="httpClient">The HTTP client for HTTP calls (e.g. from <c>IHttpClientFactory</c>); one is made and owned when null.</param>
    /// <param name="loggerFactory">Logs reconnections and protocol events; none when null.</param>
    public SawtClient(SawtClientOptions options, HttpClient? httpClient = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        WebSocketUri = new UriBuilder(new Uri(options.BaseAddress, "/v1/ws"))
        {
            Scheme = options.BaseAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
        }.Uri;
    }

    /// <summary>The gateway's WebSocket address.</summary>
    public Uri WebSocketUri { get; }

    /// <summary>Opens a socket for the connection (tests script one); a real <see cref="ClientWebSocket"/> when null.</summary>
    internal Func<CancellationToken, Task<WebSocket>>? SocketFactory { get; init; }

    /// <summary>
    /// Opens a WebSocket to <c>/v1/ws</c> with the API key. A refused key throws <c>unauthorized</c> (status 401);
    /// an unreachable gateway throws the retryable <c>connection_lost</c>.
    /// </summary>
    public Task<SawtConnection> ConnectAsync(CancellationToken cancellationToken = default) =>
        SawtConnection.ConnectAsync(
            _options,
            SocketFactory ?? OpenSocketAsync,
            WebSocketUri,
            _loggerFactory.CreateLogger<SawtConnection>(),
            cancellationToken);

    /// <summary><c>POST /v1/tts</c>: the whole utterance (a WAV file for PCM encodings).</summary>
    public async Task<SynthesizedAudio> SynthesizeAsync(TtsRequest request, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, Path("/v1/tts"))
        {
            Content = JsonContent.Create(request, ProtocolJsonContext.Default.TtsRequest),
        };
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var audio = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new SynthesizedAudio(audio, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// <c>POST /v1/tts/stream</c>: the audio as the gateway produces it (raw samples of the requested encoding, or
    /// the container stream). A stream the gateway cut short throws the retryable <c>connection_lost</c>.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> StreamAsync(TtsRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, Path("/v1/tts/stream"))
        {
            Content = JsonContent.Create(request, ProtocolJsonContext.Default.TtsRequest),
        };
        using var response = await SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            while (true)
            {
                var buffer = new byte[StreamReadBytes];
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException exception)
                {
                    // The gateway aborts a stream whose session failed after audio was sent (docs/protocol.md).
                    throw SawtException.Lost("The audio stream ended before the utterance did.", exception);
                }

                if (read == 0)
                {
                    yield break;
                }

                yield return buffer.AsMemory(0, read);
            }
        }
    }

    /// <summary><c>GET /v1/voices</c>: a page of the tenant's voices (the first page starts with <c>default</c>).</summary>
    public async Task<VoiceList> ListVoicesAsync(int? limit = null, string? after = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>(2);
        if (limit is { } l)
        {
            query.Add("limit=" + l.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (after is not null)
        {
            query.Add("after=" + Uri.EscapeDataString(after));
        }

        var path = "/v1/voices" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
        using var message = new HttpRequestMessage(HttpMethod.Get, Path(path));
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, ProtocolJsonContext.Default.VoiceList, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /v1/voices/{id}</c>; <c>unknown_voice</c> (404) when the tenant has none.</summary>
    public async Task<VoiceDescription> GetVoiceAsync(string voiceId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, VoicePath(voiceId));
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, ProtocolJsonContext.Default.VoiceDescription, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Enrols a reference WAV: <c>POST /v1/voices</c> (the server picks the id) or, with <paramref name="voiceId"/>,
    /// <c>PUT /v1/voices/{id}</c> (creates or replaces). Bad audio throws its upload code (<c>unreadable_audio</c>, ...).
    /// </summary>
    public async Task<VoiceDescription> CreateVoiceAsync(Stream wav, string? voiceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wav);
        using var message = new HttpRequestMessage(voiceId is null ? HttpMethod.Post : HttpMethod.Put, voiceId is null ? Path("/v1/voices") : VoicePath(voiceId))
        {
            Content = new StreamContent(wav) { Headers = { ContentType = new MediaTypeHeaderValue("audio/wav") } },
        };
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, ProtocolJsonContext.Default.VoiceDescription, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>DELETE /v1/voices/{id}</c>; <c>unknown_voice</c> (404) when the tenant has none.</summary>
    public async Task DeleteVoiceAsync(string voiceId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Delete, VoicePath(voiceId));
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw SawtException.Violation("The gateway answered null.");
        }
        catch (JsonException exception)
        {
            throw SawtException.Violation("The gateway's answer is not the documented JSON.", exception);
        }
    }

    private async Task<WebSocket> OpenSocketAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (_options.ApiKey is { } key)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + key);
        }

        try
        {
            await socket.ConnectAsync(WebSocketUri, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (WebSocketException exception)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw status switch
            {
                HttpStatusCode.Unauthorized => new SawtException(ErrorCodes.Unauthorized, "The gateway refused the API key.", retryable: false, innerException: exception)
                {
                    StatusCode = (int)status,
                },
                >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError => new SawtException(ErrorCodes.InvalidRequest, $"The gateway refused the WebSocket handshake ({(int)status}).", retryable: false, innerException: exception)
                {
                    StatusCode = (int)status,
                },
                _ => SawtException.Lost($"Could not connect to {WebSocketUri}.", exception),
            };
        }
        catch (HttpRequestException exception)
        {
            socket.Dispose();
            throw SawtException.Lost($"Could not connect to {WebSocketUri}.", exception);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (_options.ApiKey is { } key)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw SawtException.Lost($"Could not reach {_options.BaseAddress}.", exception);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<SawtException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter?.Delta;
        try
        {
            var body = await response.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.HttpErrorResponse, cancellationToken).ConfigureAwait(false);
            if (body?.Error is { } error)
            {
                return SawtException.From(error, status, retryAfter);
            }
        }
        catch (JsonException)
        {
            // Not the gateway's error shape (a proxy's page, ...): described by its status below.
        }

        // A 5xx from something in between (a proxy, a restarting gateway) may well pass.
        return new SawtException(
            status >= 500 ? ErrorCodes.Unavailable : ErrorCodes.InvalidRequest,
            $"HTTP {status} without the gateway's error body.",
            retryable: status >= 500,
            retryAfter)
        {
            StatusCode = status,
        };
    }

    private Uri Path(string pathAndQuery) => new(_options.BaseAddress, pathAndQuery);

    private Uri VoicePath(string voiceId) => Path("/v1/voices/" + Uri.EscapeDataString(voiceId));
}
