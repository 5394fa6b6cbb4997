/**
 * Every failure the client reports: a server error (WebSocket `error` message or HTTP error body) with its stable
 * code, or a client-side one (`connection_lost`, `connection_failed`, `protocol_error`, `closed`).
 */
export class SawtError extends Error {
  /** Stable machine-readable code, e.g. `busy`, `unknown_voice`, `invalid_request` (see docs/protocol.md). */
  readonly code: string;
  /** Whether the same request may succeed if sent again later. */
  readonly retryable: boolean;
  /** How long to wait before retrying, in milliseconds, when the server said so. */
  readonly retryAfterMs: number | undefined;
  /** HTTP status, for errors of HTTP calls (and of a refused WebSocket handshake). */
  readonly status: number | undefined;
  /** The context the error concerns, when it concerns one. */
  readonly contextId: string | undefined;
  /** True when this error ended its context (its terminal message). */
  readonly contextEnded: boolean;

  constructor(
    code: string,
    message: string,
    options: {
      retryable?: boolean;
      retryAfterMs?: number | undefined;
      status?: number | undefined;
      contextId?: string | undefined;
      contextEnded?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SawtError";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.contextId = options.contextId;
    this.contextEnded = options.contextEnded ?? false;
  }

  /** The retry hint in seconds (as OpenAI-style clients name it), when there is one. */
  get retryAfter(): number | undefined {
    return this.retryAfterMs === undefined ? undefined : this.retryAfterMs / 1000;
  }
}

/** Client-side error codes (the server's codes are listed in docs/protocol.md). */
export const ClientErrorCodes = {
  /** The socket closed while the context was running; the server's session is gone with it. */
  ConnectionLost: "connection_lost",
  /** No connection could be made within the reconnect budget. */
  ConnectionFailed: "connection_failed",
  /** The server sent something this client cannot read (a bug on one side). */
  ProtocolError: "protocol_error",
  /** The client was closed by its owner. */
  Closed: "closed",
} as const;

/** Reads an HTTP error answer (`{"error": {...}}`) into a {@link SawtError}; other bodies keep the status. */
export async function errorFromResponse(response: Response): Promise<SawtError> {
  const retryAfterHeader = response.headers.get("retry-after");
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }

  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (error && typeof error.code === "string") {
    const retryAfterMs = typeof error.retry_after_ms === "number"
      ? error.retry_after_ms
      : retryAfterHeader !== null && Number.isFinite(Number(retryAfterHeader)) ? Number(retryAfterHeader) * 1000 : undefined;
    return new SawtError(error.code, typeof error.message === "string" ? error.message : error.code, {
      retryable: error.retryable === true,
      retryAfterMs,
      status: response.status,
    });
  }

  // Kestrel answers a few malformed requests with an empty body (docs/protocol.md, HTTP).
  return new SawtError(`http_${response.status}`, `HTTP ${response.status} ${response.statusText}`, {
    retryable: response.status >= 500,
    status: response.status,
  });
}
