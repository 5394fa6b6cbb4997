namespace Sawt.Gateway;

/// <summary>Limits and defaults of the gateway's WebSocket and HTTP APIs (section <see cref="SectionName"/>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Sawt:Gateway";

    /// <summary>Most characters of text per request, or per context summed over its <c>text</c> messages.</summary>
    public int MaxTextLength { get; set; } = 5000;

    /// <summary>Contexts that may be active at once on one WebSocket.</summary>
    public int MaxContextsPerSocket { get; set; } = 16;

    /// <summary>
    /// A socket with no traffic in either direction and no context under way for this long is closed (reason
    /// <c>idle_timeout</c>).
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest client message (all frames of it); a bigger one closes the socket with 1009.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Outgoing items (a control message, or an audio metadata + binary pair) queued per socket.</summary>
    public int SendQueueCapacity { get; set; } = 64;

    /// <summary>How long a context waits for room in a full send queue before it is cancelled with <c>slow_consumer</c>.</summary>
    public TimeSpan SlowConsumerTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a close handshake may take before the socket is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// On shutdown, how long a socket's running contexts may go on (new ones are refused with <c>shutting_down</c>)
    /// before the rest end with the retryable <c>shutting_down</c> and the socket closes with 1001. With
    /// <see cref="CloseTimeout"/> it must fit in the host's shutdown timeout (<c>DOTNET_SHUTDOWNTIMEOUTSECONDS</c>,
    /// 30 s by default), or the server aborts the sockets first.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Commands (text, flush, end) queued per context while it starts or is busy.</summary>
    public int ContextCommandCapacity { get; set; } = 64;

    /// <summary>Session events buffered between the Orleans stream and a consumer.</summary>
    public int SessionEventBuffer { get; set; } = 64;

    /// <summary>
    /// A started session whose stream brought nothing for this long is asked to answer on it (a probe), so a session
    /// lost with a silo is told from one waiting for text. Short enough to find a loss soon, long enough that a session
    /// producing audio is never asked.
    /// </summary>
    public TimeSpan StreamProbeAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a probed session's stream may stay silent before the session counts as lost: its context ends with the
    /// retryable <c>unavailable</c> (within <see cref="StreamProbeAfter"/> plus this of the loss). Generous, because a
    /// false alarm ends a working utterance.
    /// </summary>
    public TimeSpan StreamProbeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A session this gateway started ends itself (its workers stop) when the gateway has not called it for this long:
    /// the gateway died or was cut off, and nobody hears the session any more. Without it, a session whose gateway was
    /// killed speaks to its end for nobody, or waits for input until <c>Sawt:Sessions:InputIdleTimeout</c>.
    /// </summary>
    public TimeSpan SessionLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the gateway renews the lease of each session it listens to; well below <see cref="SessionLease"/>.</summary>
    public TimeSpan SessionLeaseRenewal { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Language when a request names none (the compatibility endpoints default to Arabic too).</summary>
    public string DefaultLanguage { get; set; } = "ar";

    /// <summary>Largest JSON body of an HTTP synthesis request.</summary>
    public int MaxHttpBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Largest reference WAV accepted by <c>POST /v1/voices/{id}</c>.</summary>
    public int MaxVoiceUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// The ffmpeg program that encodes mp3, Ogg Opus, AAC and FLAC (and changes the tempo); a name is looked up on
    /// PATH. Without it those formats are answered <c>encoder_unavailable</c>; every other format still works.
    /// </summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Encoder processes at once (one per response in mp3, Ogg Opus, AAC, FLAC or with a speed); more is <c>busy</c>.</summary>
    public int MaxEncoderProcesses { get; set; } = 32;

    /// <summary>
    /// Origins (<c>https://app.example.com</c>, no path) whose pages may call the HTTP API from a browser (CORS); <c>*</c>
    /// allows any. Empty (the default): no cross-origin page may; the gateway's own demo page is same-origin.
    /// </summary>
    public List<string> CorsOrigins { get; set; } = [];
}
