using Microsoft.Extensions.Logging;

namespace Sawt.Gateway.Diagnostics;

/// <summary>
/// Gateway log messages (EventIds 1000-1099; a retired id stays reserved). Text is never logged, only its length.
/// Warning and Error are for what an operator must act on (the cluster misbehaving, a gateway bug); whatever a
/// client does wrong (bad input, not reading) is Debug.
/// </summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "WebSocket {Endpoint} accepted from {RemoteAddress}")]
    public static partial void SocketAccepted(ILogger logger, string endpoint, string? remoteAddress);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "WebSocket {Endpoint} closed ({CloseStatus}, {CloseReason})")]
    public static partial void SocketClosed(ILogger logger, string endpoint, string? closeStatus, string? closeReason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Context {ContextId} started session {SessionId} ({TextLength} chars, language {Language}, encoding {Encoding})")]
    public static partial void ContextStarted(ILogger logger, string contextId, Guid sessionId, int textLength, string language, string encoding);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Context {ContextId} finished: {Outcome}")]
    public static partial void ContextFinished(ILogger logger, string contextId, string outcome);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Request rejected: {Code}")]
    public static partial void RequestRejected(ILogger logger, string code);

    // Debug, not Warning: a client that does not read is the client's problem, and one per context would flood the log.
    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Context {ContextId} cancelled: the client did not read its audio within {TimeoutMs} ms")]
    public static partial void SlowConsumer(ILogger logger, string contextId, double timeoutMs);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Client message over {MaxBytes} bytes; closing with 1009")]
    public static partial void MessageTooBig(ILogger logger, int maxBytes);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Socket idle for {IdleMs} ms; closing")]
    public static partial void IdleTimeout(ILogger logger, double idleMs);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug, Message = "Close handshake not finished within {TimeoutMs} ms; aborting the socket")]
    public static partial void CloseTimedOut(ILogger logger, double timeoutMs);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Debug, Message = "Session {SessionId} did not start ({ExceptionType})")]
    public static partial void SessionStartFailed(ILogger logger, Guid sessionId, string exceptionType);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Unsubscribing from session {SessionId} failed")]
    public static partial void UnsubscribeFailed(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "Session {SessionId}: duplicate audio chunk {Sequence} dropped")]
    public static partial void DuplicateChunk(ILogger logger, Guid sessionId, int sequence);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Session {SessionId} stream failed: {Code}")]
    public static partial void SessionStreamFailed(ILogger logger, Guid sessionId, string code);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Session {SessionId} stream reported an error")]
    public static partial void SessionStreamError(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(EventId = 1045, Level = LogLevel.Warning, Message = "Session {SessionId} stream went silent or left a gap; fetching its events from chunk {FromSequence} from the session")]
    public static partial void SessionStreamRecovering(ILogger logger, Guid sessionId, int fromSequence);

    [LoggerMessage(EventId = 1046, Level = LogLevel.Warning, Message = "Session {SessionId} no longer holds chunk {FromSequence} for a replay")]
    public static partial void SessionReplayIncomplete(ILogger logger, Guid sessionId, int fromSequence);

    [LoggerMessage(EventId = 1047, Level = LogLevel.Warning, Message = "Session {SessionId} did not answer a replay: lost")]
    public static partial void SessionReplayFailed(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(EventId = 1049, Level = LogLevel.Debug, Message = "Session {SessionId}: an input command reached an activation that never started; sending it again in {DelayMs} ms")]
    public static partial void CommandResent(ILogger logger, Guid sessionId, double delayMs);

    [LoggerMessage(EventId = 1048, Level = LogLevel.Debug, Message = "Session {SessionId}: an acknowledgement could not be sent")]
    public static partial void AcknowledgeFailed(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Error, Message = "Backend call {Operation} failed")]
    public static partial void BackendCallFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Debug, Message = "HTTP synthesis {Endpoint}: {TextLength} chars, encoding {Encoding}")]
    public static partial void HttpSynthesis(ILogger logger, string endpoint, int textLength, string encoding);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Information, Message = "Voice {VoiceId} enrolled ({Bytes} bytes of reference audio)")]
    public static partial void VoiceEnrolled(ILogger logger, string voiceId, int bytes);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Debug, Message = "Readiness check failed")]
    public static partial void ReadinessCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Error, Message = "WebSocket {Endpoint} loop failed")]
    public static partial void SocketLoopFailed(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Debug, Message = "Protocol error {Code} on the socket")]
    public static partial void ProtocolError(ILogger logger, string code);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Debug, Message = "HTTP stream aborted after audio had started: {Code}")]
    public static partial void HttpStreamAborted(ILogger logger, string code);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Error, Message = "WebSocket {Endpoint}: handling a client message failed; it was answered internal_error and the socket goes on")]
    public static partial void MessageHandlerFailed(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Error, Message = "Context {ContextId} failed in the gateway; it ends with internal_error")]
    public static partial void ContextFailed(ILogger logger, string contextId, Exception exception);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Error, Message = "A /ws/tts request failed in the gateway; the socket closes with internal_error")]
    public static partial void CompatRequestFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1024, Level = LogLevel.Error, Message = "HTTP {Endpoint} failed; answered internal_error")]
    public static partial void HttpRequestFailed(ILogger logger, string? endpoint, Exception exception);

    [LoggerMessage(EventId = 1025, Level = LogLevel.Debug, Message = "HTTP {Endpoint}: the request body could not be read (HTTP {StatusCode})")]
    public static partial void RequestBodyUnreadable(ILogger logger, string? endpoint, int statusCode);

    [LoggerMessage(EventId = 1026, Level = LogLevel.Debug, Message = "Socket aborted: a message the client must get found no room in the send queue within {TimeoutMs} ms")]
    public static partial void SlowClientAborted(ILogger logger, double timeoutMs);

    [LoggerMessage(EventId = 1027, Level = LogLevel.Information, Message = "API open: no API keys are configured (Sawt:Auth:Keys), so every request is served as one implicit tenant")]
    public static partial void ApiOpen(ILogger logger);

    [LoggerMessage(EventId = 1028, Level = LogLevel.Information, Message = "API keys required: {KeyCount} keys for {TenantCount} tenants")]
    public static partial void ApiKeysConfigured(ILogger logger, int keyCount, int tenantCount);

    [LoggerMessage(EventId = 1029, Level = LogLevel.Debug, Message = "Request to {Path} refused: {Reason}")]
    public static partial void Unauthorized(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Debug, Message = "Voice {VoiceId} deleted (tenant {Tenant})")]
    public static partial void VoiceDeleted(ILogger logger, string voiceId, string tenant);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Information, Message = "Audio encoder {Path}: encoders {Present}; missing {Missing}")]
    public static partial void EncoderProbed(ILogger logger, string path, string present, string missing);

    // Warning: the operator must install ffmpeg for mp3, Ogg Opus, AAC and FLAC; every other format still works.
    [LoggerMessage(EventId = 1032, Level = LogLevel.Warning, Message = "No audio encoder: {Reason}; mp3, Ogg Opus, AAC, FLAC and speed are answered encoder_unavailable")]
    public static partial void EncoderUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 1033, Level = LogLevel.Warning, Message = "HTTP {Endpoint}: the audio encoder failed; the response is aborted")]
    public static partial void EncoderFailed(ILogger logger, string endpoint, Exception exception);

    // Debug: a client over its key's limits is the client's business (it gets rate_limited); the key's index, never the key.
    [LoggerMessage(EventId = 1034, Level = LogLevel.Debug, Message = "Key {KeyIndex} of tenant {Tenant} refused: its {Limit} limit is reached")]
    public static partial void KeyLimited(ILogger logger, int keyIndex, string tenant, string limit);

    [LoggerMessage(EventId = 1038, Level = LogLevel.Debug, Message = "Session {SessionId}: renewing its lease failed; the next renewal tries again")]
    public static partial void LeaseRenewalFailed(ILogger logger, Guid sessionId, Exception exception);

    // 1090s: the operator view (a separate range, so it does not collide with other areas' additions).
    [LoggerMessage(EventId = 1035, Level = LogLevel.Debug, Message = "Session {SessionId}: its client fell {Events} events behind; it ends with slow_consumer and is cancelled")]
    public static partial void ConsumerFellBehind(ILogger logger, Guid sessionId, int events);

    [LoggerMessage(EventId = 1090, Level = LogLevel.Debug, Message = "This gateway's activity could not be reported to the operator view; retried on the next tick")]
    public static partial void GatewayReportFailed(ILogger logger, Exception exception);
}
