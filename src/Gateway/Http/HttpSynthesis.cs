using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Audio;
using Sawt.Gateway.Auth;
using Sawt.Gateway.Backend;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Http;

/// <summary>Runs one session for an HTTP request: whole-body or streamed, with errors as JSON and fitting statuses.</summary>
internal static class HttpSynthesis
{
    /// <summary>Bytes of a whole-body response held in memory before the rest goes to a temporary file.</summary>
    private const int WholeBodyMemoryThreshold = 256 * 1024;

    /// <summary>Reads a JSON object body of at most <paramref name="maxBytes"/>.</summary>
    public static async Task<JsonDocument> ReadJsonAsync(HttpContext http, int maxBytes)
    {
        var body = await ReadBodyAsync(http, maxBytes);
        try
        {
            var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new ProtocolException(ErrorCodes.InvalidRequest, "The body must be a JSON object.");
            }

            return document;
        }
        catch (JsonException)
        {
            throw new ProtocolException(ErrorCodes.InvalidJson, "The body is not valid JSON.");
        }
    }

    public static async Task<byte[]> ReadBodyAsync(HttpContext http, int maxBytes)
    {
        if (http.Request.ContentLength > maxBytes)
        {
            throw new ProtocolException(ErrorCodes.PayloadTooLarge, $"The body is over {maxBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new ProtocolException(ErrorCodes.PayloadTooLarge, $"The body is over {maxBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Synthesizes the whole utterance, then answers with WAV (PCM encodings, when asked) or raw bytes. With
    /// <paramref name="transcoding"/>, the session's PCM goes through the encoder as it arrives and the encoded bytes
    /// are what is held and sent.
    /// </summary>
    public static async Task WholeAsync(HttpContext http, ISessionBackend backend, SessionStart start, bool wrapWav, Transcoding? transcoding = null)
    {
        using var slot = await ReserveEncoderOrRespondAsync(http, transcoding);
        if (transcoding is not null && slot is null)
        {
            return;
        }

        var handle = await StartOrRespondAsync(http, backend, start);
        if (handle is null)
        {
            return;
        }

        await using (handle)
        {
            // The status waits for the outcome, so the audio is held until then: in memory up to a small threshold, in
            // a temporary file beyond it, so a long utterance costs disk, not heap.
            await using var buffered = new FileBufferingWriteStream(memoryThreshold: WholeBodyMemoryThreshold);
            var encoding = transcoding?.Encoding ?? start.Output.Encoding;
            var sampleRate = start.Output.SampleRate ?? 24000;
            StreamingEncoder? encoder = null;
            StreamingEncoder StartEncoder() =>
                transcoding!.Encoders.Start(transcoding.Request, slot!, (data, ct) => buffered.WriteAsync(data, ct));
            try
            {
                await foreach (var item in handle.Events.WithCancellation(http.RequestAborted))
                {
                    switch (item)
                    {
                        case AudioChunkEvent chunk when transcoding is not null:
                            encoder ??= StartEncoder();
                            await encoder.WriteAsync(chunk.Data, http.RequestAborted);
                            sampleRate = chunk.SampleRate;
                            break;
                        case AudioChunkEvent chunk:
                            await buffered.WriteAsync(chunk.Data, http.RequestAborted);
                            encoding = chunk.Encoding;
                            sampleRate = chunk.SampleRate;
                            break;
                        case SessionFailed failed:
                            await HttpErrors.WriteAsync(http, ApiError.From(failed));
                            return;
                        case SessionCompleted completed:
                            SetOutcomeHeaders(http, completed.Stats);
                            if (transcoding is not null)
                            {
                                // No audio at all still gets a valid (empty) stream of the format.
                                encoder ??= StartEncoder();
                                await encoder.CompleteAsync(http.RequestAborted);
                            }

                            var wav = wrapWav && WavFile.CanWrap(encoding);
                            SetAudioHeaders(http, encoding, sampleRate, wav);
                            var total = (int)buffered.Length;
                            http.Response.ContentLength = total + (wav ? WavFile.HeaderBytes : 0);
                            if (wav)
                            {
                                await http.Response.Body.WriteAsync(WavFile.Header(encoding, sampleRate, total), http.RequestAborted);
                            }

                            await buffered.DrainBufferAsync(http.Response.Body, http.RequestAborted);
                            return;
                    }
                }

                await HttpErrors.WriteAsync(http, new ApiError(ErrorCodes.InternalError, "The session ended without completing.", true));
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                await handle.CancelQuietlyAsync(TimeSpan.FromSeconds(5), HttpErrors.Logger(http));
            }
            catch (AudioEncoderException exception)
            {
                GatewayLog.EncoderFailed(HttpErrors.Logger(http), http.Request.Path, exception);
                await handle.CancelQuietlyAsync(TimeSpan.FromSeconds(5), HttpErrors.Logger(http));
                await HttpErrors.WriteAsync(http, new ApiError(ErrorCodes.InternalError, "The audio encoder failed; the failure is logged.", false));
            }
            finally
            {
                if (encoder is not null)
                {
                    await encoder.DisposeAsync();
                }
            }
        }
    }

    /// <summary>
    /// Streams the encoded audio as it arrives (chunked). Headers wait for the first audio, so a failure before
    /// any audio still gets its status code; a failure after that aborts the response (the body is truncated). With
    /// <paramref name="transcoding"/>, each chunk's PCM is fed to the encoder at once and its output is written to the
    /// body as the encoder produces it.
    /// </summary>
    public static async Task StreamAsync(HttpContext http, ISessionBackend backend, SessionStart start, Action<HttpResponse, string, int>? headers = null, Transcoding? transcoding = null)
    {
        using var slot = await ReserveEncoderOrRespondAsync(http, transcoding);
        if (transcoding is not null && slot is null)
        {
            return;
        }

        var handle = await StartOrRespondAsync(http, backend, start);
        if (handle is null)
        {
            return;
        }

        await using (handle)
        {
            var started = false;
            StreamingEncoder? encoder = null;
            async Task StartResponseAsync(string encoding, int sampleRate)
            {
                started = true;
                if (headers is null)
                {
                    SetAudioHeaders(http, transcoding?.Encoding ?? encoding, sampleRate, wav: false);
                }
                else
                {
                    headers(http.Response, encoding, sampleRate);
                }

                await http.Response.StartAsync(http.RequestAborted);
                if (transcoding is not null)
                {
                    encoder = transcoding.Encoders.Start(transcoding.Request, slot!, async (data, ct) =>
                    {
                        await http.Response.Body.WriteAsync(data, ct);
                        await http.Response.Body.FlushAsync(ct);
                    });
                }
            }

            try
            {
                await foreach (var item in handle.Events.WithCancellation(http.RequestAborted))
                {
                    switch (item)
                    {
                        case AudioChunkEvent chunk:
                            if (!started)
                            {
                                await StartResponseAsync(chunk.Encoding, chunk.SampleRate);
                            }

                            if (encoder is not null)
                            {
                                await encoder.WriteAsync(chunk.Data, http.RequestAborted);
                            }
                            else if (chunk.Data.Length > 0)
                            {
                                await http.Response.Body.WriteAsync(chunk.Data, http.RequestAborted);
                                await http.Response.Body.FlushAsync(http.RequestAborted);
                            }

                            break;
                        case SessionFailed failed when !started:
                            await HttpErrors.WriteAsync(http, ApiError.From(failed));
                            return;
                        case SessionFailed failed:
                            GatewayLog.HttpStreamAborted(HttpErrors.Logger(http), failed.Code);
                            http.Abort();
                            return;
                        case SessionCompleted completed:
                            // Once audio has started streaming the headers are gone; only a response without audio gets them.
                            SetOutcomeHeaders(http, completed.Stats);
                            if (!started && transcoding is not null)
                            {
                                // No audio at all still gets a valid (empty) stream of the format.
                                await StartResponseAsync(start.Output.Encoding, start.Output.SampleRate ?? 24000);
                            }
                            else if (!started)
                            {
                                SetAudioHeaders(http, start.Output.Encoding, start.Output.SampleRate ?? 24000, wav: false);
                                http.Response.ContentLength = 0;
                            }

                            if (encoder is not null)
                            {
                                await encoder.CompleteAsync(http.RequestAborted);
                            }

                            return;
                    }
                }

                if (started)
                {
                    http.Abort();
                }
                else
                {
                    await HttpErrors.WriteAsync(http, new ApiError(ErrorCodes.InternalError, "The session ended without completing.", true));
                }
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                await handle.CancelQuietlyAsync(TimeSpan.FromSeconds(5), HttpErrors.Logger(http));
            }
            catch (AudioEncoderException exception)
            {
                // Headers are out (the encoder starts with the response): a truncated body is all that can be said.
                GatewayLog.EncoderFailed(HttpErrors.Logger(http), http.Request.Path, exception);
                await handle.CancelQuietlyAsync(TimeSpan.FromSeconds(5), HttpErrors.Logger(http));
                http.Abort();
            }
            finally
            {
                if (encoder is not null)
                {
                    await encoder.DisposeAsync();
                }
            }
        }
    }

    /// <summary>
    /// A slot for the response's encoder, or null with <c>busy</c> answered when every slot is taken; null without an
    /// answer when there is nothing to encode.
    /// </summary>
    private static async Task<IDisposable?> ReserveEncoderOrRespondAsync(HttpContext http, Transcoding? transcoding)
    {
        if (transcoding is null)
        {
            return null;
        }

        var slot = transcoding.Encoders.TryReserve(transcoding.Request);
        if (slot is null)
        {
            await HttpErrors.WriteAsync(http, new ApiError(ErrorCodes.Busy, "Every audio encoder of this gateway is in use; retry shortly.", true, 1));
        }

        return slot;
    }

    private static async Task<ISessionHandle?> StartOrRespondAsync(HttpContext http, ISessionBackend backend, SessionStart start)
    {
        try
        {
            // The caller's tenant, from its API key: the session resolves the voice among that tenant's voices only.
            return await backend.StartAsync(start with { Tenant = http.GetTenant() }, http.RequestAborted);
        }
        catch (SessionRejectedException exception)
        {
            await HttpErrors.WriteAsync(http, ApiError.From(exception));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception exception)
        {
            GatewayLog.BackendCallFailed(HttpErrors.Logger(http), "start", exception);
            await HttpErrors.WriteAsync(http, new ApiError(ErrorCodes.Unavailable, "The cluster could not be reached.", true, 1));
        }

        return null;
    }

    /// <summary><c>X-Stop-Reason</c> and <c>X-Alignment-Warnings</c> (docs/protocol.md), while the headers can still change.</summary>
    private static void SetOutcomeHeaders(HttpContext http, SessionStats stats)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        if (stats.StopReason is { } reason)
        {
            http.Response.Headers["X-Stop-Reason"] = reason;
        }

        if (stats.AlignmentWarnings is { Length: > 0 } warnings)
        {
            http.Response.Headers["X-Alignment-Warnings"] = string.Join(',', warnings);
        }
    }

    private static void SetAudioHeaders(HttpContext http, string encoding, int sampleRate, bool wav)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = wav ? "audio/wav" : WavFile.RawContentType(encoding);
        http.Response.Headers["X-Encoding"] = encoding;
        http.Response.Headers["X-Sample-Rate"] = sampleRate.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-Channels"] = "1";
    }
}
