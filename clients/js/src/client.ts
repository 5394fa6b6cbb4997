import { SawtContext, errorFromMessage, type ContextHost } from "./context.js";
import { ClientErrorCodes, SawtError, errorFromResponse } from "./errors.js";
import { SawtHttp } from "./http.js";
import { speechFields, type AudioChunk, type ServerMessage, type SpeechOptions } from "./protocol.js";

/** The browser WebSocket API, which the `ws` package implements too. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "close" | "error" | "message", listener: (event: never) => void): void;
}

/** A WebSocket constructor: the browser's, Node's global one, or the `ws` package's. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[], options?: unknown) => WebSocketLike;

/** Exponential backoff between connection attempts. */
export interface ReconnectOptions {
  /** Attempts per connect before giving up with `connection_failed` (default 10). */
  maxAttempts?: number;
  /** First delay (default 100 ms); each next one doubles, up to {@link maxDelayMs}. */
  initialDelayMs?: number;
  /** Longest delay (default 5000 ms). */
  maxDelayMs?: number;
}

export interface SawtClientOptions {
  /** The gateway, e.g. `http://localhost:5000`. */
  baseUrl: string | URL;
  /** API key, when the server has keys configured. */
  apiKey?: string;
  /** The WebSocket implementation; default the global one, else the `ws` package (Node 20). */
  WebSocket?: WebSocketConstructor;
  reconnect?: ReconnectOptions;
  /** Errors that concern no running context, or refused one message of a context without ending it. */
  onError?: (error: SawtError) => void;
  /** Called when the socket closes while contexts were running (they have failed with `connection_lost`). */
  onDisconnect?: (code: number, reason: string) => void;
  fetch?: typeof fetch;
}

/** A context to open: the speech options, its text (or `incremental` for text sent later) and optionally its id. */
export interface ContextOptions extends SpeechOptions {
  /** The whole text (non-incremental); omit it with `incremental: true` and send text later. */
  text?: string;
  incremental?: boolean;
  /** 1-128 characters; default a fresh unique id. */
  contextId?: string;
}

interface PendingAudio {
  message: ServerMessage;
}

const Open = 1;

/**
 * A client of one Sawt gateway. Contexts (utterances) are multiplexed on one WebSocket to `/v1/ws`, opened on first
 * use and reopened with exponential backoff after it closes (contexts running when it closed fail with
 * `connection_lost`: their sessions ended with the socket). HTTP synthesis and the voices API are on {@link http}.
 */
export class SawtClient implements ContextHost {
  readonly http: SawtHttp;
  private readonly options: SawtClientOptions;
  private readonly contexts = new Map<string, SawtContext>();
  private socket: WebSocketLike | undefined;
  private connecting: Promise<WebSocketLike> | undefined;
  private pending: PendingAudio | undefined;
  private closed = false;
  private counter = 0;
  private readonly idPrefix = Math.random().toString(36).slice(2, 8);

  constructor(options: SawtClientOptions) {
    this.options = options;
    this.http = new SawtHttp(options.baseUrl, options.apiKey, options.fetch);
  }

  /** Whether the socket is open now. */
  get connected(): boolean {
    return this.socket !== undefined && this.socket.readyState === Open;
  }

  /** Opens the socket now (otherwise the first context does), retrying with backoff. */
  async connect(): Promise<void> {
    await this.ensureSocket();
  }

  /**
   * Starts a context; resolves once the server has `started` it, rejects with the {@link SawtError} that refused it
   * (e.g. `unknown_voice`, `too_many_contexts`, `busy`).
   */
  async open(options: ContextOptions): Promise<SawtContext> {
    const socket = await this.ensureSocket();
    const id = options.contextId ?? `${this.idPrefix}-${++this.counter}`;
    if (this.contexts.has(id)) {
      throw new SawtError("duplicate_context", `Context ${id} is active.`, { contextId: id });
    }

    const incremental = options.incremental ?? false;
    const context = new SawtContext(this, id, incremental, now());
    this.contexts.set(id, context);
    socket.send(JSON.stringify({
      type: "synthesize",
      context_id: id,
      ...(options.text !== undefined ? { text: options.text } : {}),
      ...speechFields(options),
      ...(incremental ? { incremental: true } : {}),
    }));
    await context.started;
    return context;
  }

  /**
   * Speaks a text, or an async source of text pieces (an LLM's streamed reply) sent as they come and ended when the
   * source ends. Iterate the returned context for the audio.
   */
  async speak(text: string | AsyncIterable<string>, options: Omit<ContextOptions, "text" | "incremental"> = {}): Promise<SawtContext> {
    if (typeof text === "string") {
      return this.open({ ...options, text });
    }

    const context = await this.open({ ...options, incremental: true });
    // The source is pumped alongside the audio; its failure cancels the context, reported via onError.
    context.sendFrom(text).catch((error: unknown) => {
      this.reportError(error instanceof SawtError ? error : new SawtError("text_source_failed", String(error), { contextId: context.id, cause: error }));
    });
    return context;
  }

  /** Closes the socket; running contexts fail with `closed`. The client cannot be used afterwards. */
  close(): void {
    this.closed = true;
    const socket = this.socket;
    this.socket = undefined;
    this.failAll(new SawtError(ClientErrorCodes.Closed, "The client was closed.", { contextEnded: true }));
    socket?.close(1000, "client closed");
  }

  /** @internal */
  sendJson(message: Record<string, unknown>): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== Open) {
      throw new SawtError(ClientErrorCodes.ConnectionLost, "The socket is not open.", { retryable: true });
    }

    socket.send(JSON.stringify(message));
  }

  /** @internal */
  reportError(error: SawtError): void {
    this.options.onError?.(error);
  }

  /** @internal */
  release(context: SawtContext): void {
    if (this.contexts.get(context.id) === context) {
      this.contexts.delete(context.id);
    }
  }

  private async ensureSocket(): Promise<WebSocketLike> {
    if (this.closed) {
      throw new SawtError(ClientErrorCodes.Closed, "The client was closed.");
    }

    if (this.socket && this.socket.readyState === Open) {
      return this.socket;
    }

    this.connecting ??= this.connectWithBackoff().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connectWithBackoff(): Promise<WebSocketLike> {
    const maxAttempts = this.options.reconnect?.maxAttempts ?? 10;
    const maxDelay = this.options.reconnect?.maxDelayMs ?? 5000;
    let delay = this.options.reconnect?.initialDelayMs ?? 100;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        return await this.connectOnce();
      } catch (error) {
        if (error instanceof SawtError && !error.retryable) {
          throw error;
        }

        lastError = error;
      }

      if (attempt < maxAttempts) {
        await sleep(delay);
        delay = Math.min(delay * 2, maxDelay);
      }
    }

    throw new SawtError(ClientErrorCodes.ConnectionFailed, `Could not connect to ${this.wsUrl(false)} after ${maxAttempts} attempts.`, {
      retryable: true,
      cause: lastError,
    });
  }

  private async connectOnce(): Promise<WebSocketLike> {
    const { ctor, headers } = await this.resolveWebSocket();
    const url = this.wsUrl(!headers);
    const socket = headers && this.options.apiKey
      ? new ctor(url, undefined, { headers: { authorization: `Bearer ${this.options.apiKey}` } })
      : new ctor(url);
    socket.binaryType = "arraybuffer";
    // The `ws` package throws an 'error' event nobody listens to; the close that follows says what matters.
    socket.addEventListener("error", () => undefined);
    const opened = await new Promise<boolean>((resolve) => {
      socket.addEventListener("open", () => resolve(true));
      socket.addEventListener("close", () => resolve(false));
    });
    if (!opened) {
      // The WebSocket API hides the handshake's status; an HTTP request with the same key tells a refused key
      // (401, not worth retrying) from a server that is not there yet.
      throw await this.handshakeError();
    }

    if (this.closed) {
      socket.close(1000, "client closed");
      throw new SawtError(ClientErrorCodes.Closed, "The client was closed.");
    }

    this.socket = socket;
    this.pending = undefined;
    socket.addEventListener("message", (event: MessageEvent) => this.onMessage(event.data));
    socket.addEventListener("close", (event: CloseEvent) => this.onClose(socket, event.code, event.reason));
    return socket;
  }

  private async handshakeError(): Promise<SawtError> {
    try {
      const response = await (this.options.fetch ?? globalThis.fetch.bind(globalThis))(new URL("/v1/ws", this.options.baseUrl), {
        headers: this.http.authHeaders(),
      });
      if (response.status === 401) {
        return await errorFromResponse(response);
      }

      await response.body?.cancel();
      return new SawtError(ClientErrorCodes.ConnectionFailed, `The WebSocket handshake failed (HTTP ${response.status}).`, { retryable: true, status: response.status });
    } catch (error) {
      return new SawtError(ClientErrorCodes.ConnectionFailed, `The gateway is not reachable: ${String(error)}`, { retryable: true, cause: error });
    }
  }

  private async resolveWebSocket(): Promise<{ ctor: WebSocketConstructor; headers: boolean }> {
    if (this.options.WebSocket) {
      return { ctor: this.options.WebSocket, headers: false };
    }

    const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (global) {
      // Browsers cannot set headers on a WebSocket: the key goes in the query (docs/protocol.md).
      return { ctor: global, headers: false };
    }

    // Node 20 has no global WebSocket; the specifier is not a literal so browser bundlers leave it alone.
    const name = "ws";
    const module = await import(name) as { default: WebSocketConstructor };
    return { ctor: module.default, headers: true };
  }

  private wsUrl(keyInQuery: boolean): string {
    const url = new URL("/v1/ws", this.options.baseUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    if (keyInQuery && this.options.apiKey) {
      url.searchParams.set("api_key", this.options.apiKey);
    }

    return url.toString();
  }

  private onMessage(data: unknown): void {
    if (typeof data !== "string") {
      this.onBinary(data);
      return;
    }

    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch (error) {
      this.reportError(new SawtError(ClientErrorCodes.ProtocolError, "The server sent a text frame that is not JSON.", { cause: error }));
      return;
    }

    if (message.type === "audio") {
      // Pairing: the next frame is this chunk's binary frame (docs/protocol.md), so one pending slot suffices.
      if (this.pending) {
        this.reportError(new SawtError(ClientErrorCodes.ProtocolError, "An audio message arrived before the previous one's binary frame."));
      }

      this.pending = { message };
      return;
    }

    const context = typeof message.context_id === "string" ? this.contexts.get(message.context_id) : undefined;
    if (context) {
      context.handle(message);
    } else if (message.type === "error") {
      this.reportError(errorFromMessage(message));
    }
  }

  private onBinary(data: unknown): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) {
      this.reportError(new SawtError(ClientErrorCodes.ProtocolError, "A binary frame arrived without its audio message."));
      return;
    }

    const m = pending.message;
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data)
      : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(0);
    const chunk: AudioChunk = {
      contextId: String(m.context_id),
      sequence: Number(m.sequence),
      encoding: String(m.encoding),
      sampleRate: Number(m.sample_rate),
      data: bytes,
      startMs: Number(m.start_ms),
      durationMs: Number(m.duration_ms),
      textStart: Number(m.text_start),
      textLength: Number(m.text_length),
      isFinal: m.is_final === true,
      receivedAt: now(),
    };
    this.contexts.get(chunk.contextId)?.handleAudio(chunk);
  }

  private onClose(socket: WebSocketLike, code: number, reason: string): void {
    if (this.socket !== socket) {
      return;
    }

    this.socket = undefined;
    this.pending = undefined;
    const running = this.contexts.size;
    this.failAll(new SawtError(ClientErrorCodes.ConnectionLost, `The socket closed (${code}${reason ? " " + reason : ""}) while the context ran.`, {
      retryable: true,
      contextEnded: true,
    }));
    if (running > 0) {
      this.options.onDisconnect?.(code, reason);
    }
  }

  private failAll(error: SawtError): void {
    for (const context of [...this.contexts.values()]) {
      context.fail(new SawtError(error.code, error.message, {
        retryable: error.retryable,
        contextId: context.id,
        contextEnded: true,
      }));
    }

    this.contexts.clear();
  }
}

function now(): number {
  return globalThis.performance.now();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
