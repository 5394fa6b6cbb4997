// Generated from clients/js/playground by `npm run build:playground` (esbuild); do not edit.

// src/errors.ts
var SawtError = class extends Error {
  /** Stable machine-readable code, e.g. `busy`, `unknown_voice`, `invalid_request` (see docs/protocol.md). */
  code;
  /** Whether the same request may succeed if sent again later. */
  retryable;
  /** How long to wait before retrying, in milliseconds, when the server said so. */
  retryAfterMs;
  /** HTTP status, for errors of HTTP calls (and of a refused WebSocket handshake). */
  status;
  /** The context the error concerns, when it concerns one. */
  contextId;
  /** True when this error ended its context (its terminal message). */
  contextEnded;
  constructor(code, message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = "SawtError";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.contextId = options.contextId;
    this.contextEnded = options.contextEnded ?? false;
  }
  /** The retry hint in seconds (as OpenAI-style clients name it), when there is one. */
  get retryAfter() {
    return this.retryAfterMs === void 0 ? void 0 : this.retryAfterMs / 1e3;
  }
};
var ClientErrorCodes = {
  /** The socket closed while the context was running; the server's session is gone with it. */
  ConnectionLost: "connection_lost",
  /** No connection could be made within the reconnect budget. */
  ConnectionFailed: "connection_failed",
  /** The server sent something this client cannot read (a bug on one side). */
  ProtocolError: "protocol_error",
  /** The client was closed by its owner. */
  Closed: "closed"
};
async function errorFromResponse(response) {
  const retryAfterHeader = response.headers.get("retry-after");
  let body;
  try {
    body = await response.json();
  } catch {
    body = void 0;
  }
  const error = body?.error;
  if (error && typeof error.code === "string") {
    const retryAfterMs = typeof error.retry_after_ms === "number" ? error.retry_after_ms : retryAfterHeader !== null && Number.isFinite(Number(retryAfterHeader)) ? Number(retryAfterHeader) * 1e3 : void 0;
    return new SawtError(error.code, typeof error.message === "string" ? error.message : error.code, {
      retryable: error.retryable === true,
      retryAfterMs,
      status: response.status
    });
  }
  return new SawtError(`http_${response.status}`, `HTTP ${response.status} ${response.statusText}`, {
    retryable: response.status >= 500,
    status: response.status
  });
}

// src/queue.ts
var AsyncQueue = class {
  items = [];
  waiter;
  ended = false;
  failure;
  iterated = false;
  push(item) {
    if (this.ended) {
      return;
    }
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = void 0;
      waiter.resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
  }
  end(error) {
    if (this.ended) {
      return;
    }
    this.ended = true;
    if (error !== void 0) {
      this.failure = { error };
    }
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = void 0;
      if (this.failure) {
        waiter.reject(this.failure.error);
      } else {
        waiter.resolve({ value: void 0, done: true });
      }
    }
  }
  [Symbol.asyncIterator]() {
    if (this.iterated) {
      throw new Error("The audio of a context can be iterated once.");
    }
    this.iterated = true;
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== void 0) {
          return Promise.resolve({ value: item, done: false });
        }
        if (this.ended) {
          return this.failure ? Promise.reject(this.failure.error) : Promise.resolve({ value: void 0, done: true });
        }
        return new Promise((resolve, reject) => {
          this.waiter = { resolve, reject };
        });
      },
      return: () => {
        this.items.length = 0;
        this.ended = true;
        return Promise.resolve({ value: void 0, done: true });
      }
    };
  }
};

// src/context.ts
var SawtContext = class {
  id;
  incremental;
  /** The cluster's session id, once `started`. */
  sessionId;
  /** The `done` message's figures, once done. */
  summary;
  /** Milliseconds from the request to the first audio bytes, measured by this client. */
  firstAudioMs;
  /** Non-terminal errors about this context, in arrival order. */
  warnings = [];
  /** Resolves when the context ends (`done` or `cancelled`); rejects with its terminal {@link SawtError}. */
  completion;
  /** Resolves on `started`; rejects if the context ends before it starts. */
  started;
  host;
  queue = new AsyncQueue();
  requestedAt;
  ended = false;
  inputEnded = false;
  resolveCompletion;
  rejectCompletion;
  resolveStarted;
  rejectStarted;
  /** @internal Created by {@link SawtClient.open}. */
  constructor(host, id, incremental, requestedAt) {
    this.host = host;
    this.id = id;
    this.incremental = incremental;
    this.requestedAt = requestedAt;
    this.completion = new Promise((resolve, reject) => {
      this.resolveCompletion = resolve;
      this.rejectCompletion = reject;
    });
    this.started = new Promise((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    this.completion.catch(() => void 0);
    this.started.catch(() => void 0);
  }
  /** True once the context has ended (done, cancelled or failed). */
  get isEnded() {
    return this.ended;
  }
  /** More text for an incremental context; with `flush`, spoken now without waiting for a sentence end. */
  send(text, options = {}) {
    this.assertInput();
    this.host.sendJson({ type: "text", context_id: this.id, text, ...options.flush ? { flush: true } : {} });
  }
  /** Speak the buffered text now. */
  flush() {
    this.assertInput();
    this.host.sendJson({ type: "flush", context_id: this.id });
  }
  /** End of input: the rest is spoken, then `done`. */
  end() {
    if (this.ended || this.inputEnded) {
      return;
    }
    this.inputEnded = true;
    this.host.sendJson({ type: "end", context_id: this.id });
  }
  /** Stop now; the iteration ends after `cancelled` (no audio of this context follows it). */
  cancel() {
    if (!this.ended) {
      this.host.sendJson({ type: "cancel", context_id: this.id });
    }
  }
  /**
   * Sends every piece of an async text source (an LLM's streamed reply) as it comes, then `end`. Empty pieces are
   * skipped (the server refuses empty text). Stops early if the context ends; a failing source cancels the context
   * and rethrows.
   */
  async sendFrom(source) {
    try {
      for await (const piece of source) {
        if (this.ended) {
          return;
        }
        if (piece.length > 0) {
          this.send(piece);
        }
      }
    } catch (error) {
      this.cancel();
      throw error;
    }
    if (!this.ended) {
      this.end();
    }
  }
  [Symbol.asyncIterator]() {
    return this.queue[Symbol.asyncIterator]();
  }
  /** @internal A message of this context from the socket. */
  handle(message) {
    switch (message.type) {
      case "started":
        this.sessionId = String(message.session_id);
        this.resolveStarted(this.sessionId);
        break;
      case "done":
        this.summary = {
          timeToFirstAudioMs: Number(message.time_to_first_audio_ms),
          realTimeFactor: Number(message.real_time_factor),
          tokens: Number(message.tokens),
          audioMs: Number(message.audio_ms),
          chunks: Number(message.chunks)
        };
        if (typeof message.stop_reason === "string") {
          this.summary.stopReason = message.stop_reason;
        }
        if (Array.isArray(message.alignment_warnings)) {
          this.summary.alignmentWarnings = message.alignment_warnings.map(String);
        }
        this.finish({ kind: "done", summary: this.summary });
        break;
      case "cancelled":
        this.finish({ kind: "cancelled" });
        break;
      case "error": {
        const error = errorFromMessage(message);
        if (error.contextEnded) {
          this.fail(error);
        } else {
          this.warnings.push(error);
          this.host.reportError(error);
        }
        break;
      }
      default:
        break;
    }
  }
  /** @internal An audio chunk (metadata and its binary frame) of this context. */
  handleAudio(chunk) {
    if (this.ended) {
      return;
    }
    if (this.firstAudioMs === void 0 && chunk.data.length > 0) {
      this.firstAudioMs = chunk.receivedAt - this.requestedAt;
    }
    this.queue.push(chunk);
  }
  /** @internal Ends the context with an error (a terminal `error`, or the socket closing under it). */
  fail(error) {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.queue.end(error);
    this.rejectStarted(error);
    this.rejectCompletion(error);
    this.host.release(this);
  }
  finish(outcome) {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.queue.end();
    this.resolveStarted(this.sessionId ?? "");
    this.resolveCompletion(outcome);
    this.host.release(this);
  }
  assertInput() {
    if (this.ended) {
      throw new SawtError("unknown_context", `Context ${this.id} has ended.`, { contextId: this.id });
    }
    if (!this.incremental) {
      throw new SawtError("invalid_request", `Context ${this.id} is not incremental.`, { contextId: this.id });
    }
    if (this.inputEnded) {
      throw new SawtError("invalid_request", `Context ${this.id} has already ended its input.`, { contextId: this.id });
    }
  }
};
function errorFromMessage(message) {
  return new SawtError(String(message.code ?? "internal_error"), String(message.message ?? ""), {
    retryable: message.retryable === true,
    retryAfterMs: typeof message.retry_after_ms === "number" ? message.retry_after_ms : void 0,
    contextId: typeof message.context_id === "string" ? message.context_id : void 0,
    contextEnded: message.context_ended === true
  });
}

// src/protocol.ts
function toWire(value) {
  if (Array.isArray(value)) {
    return value.map(toWire);
  }
  if (value !== null && typeof value === "object") {
    const result = {};
    for (const [key, field] of Object.entries(value)) {
      if (field !== void 0) {
        result[key.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase())] = toWire(field);
      }
    }
    return result;
  }
  return value;
}
function speechFields(options) {
  return toWire({
    language: options.language,
    voice: options.voice,
    outputFormat: options.outputFormat,
    sampling: options.sampling,
    chunking: options.chunking
  });
}

// src/http.ts
var SawtHttp = class {
  baseUrl;
  apiKey;
  fetchImpl;
  constructor(baseUrl, apiKey2, fetchImpl) {
    this.baseUrl = new URL(baseUrl);
    this.apiKey = apiKey2;
    this.fetchImpl = fetchImpl ?? globalThis.fetch.bind(globalThis);
  }
  /** The whole utterance at once. */
  async synthesize(text, options = {}, signal) {
    const response = await this.send("POST", "/v1/tts", JSON.stringify({ text, ...speechFields(options) }), "application/json", signal);
    return {
      data: new Uint8Array(await response.arrayBuffer()),
      contentType: response.headers.get("content-type") ?? "",
      encoding: response.headers.get("x-encoding") ?? "",
      sampleRate: Number(response.headers.get("x-sample-rate") ?? 0),
      channels: Number(response.headers.get("x-channels") ?? 1)
    };
  }
  /** The utterance's raw encoded audio as it is produced (chunked `POST /v1/tts/stream`). */
  async *stream(text, options = {}, signal) {
    const response = await this.send("POST", "/v1/tts/stream", JSON.stringify({ text, ...speechFields(options) }), "application/json", signal);
    if (!response.body) {
      return;
    }
    const reader = response.body.getReader();
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) {
          return;
        }
        yield value;
      }
    } catch (error) {
      if (error instanceof SawtError || error instanceof Error && error.name === "AbortError") {
        throw error;
      }
      throw new SawtError("stream_aborted", "The audio stream ended early.", { retryable: true, cause: error });
    } finally {
      reader.releaseLock();
    }
  }
  /** One page of the tenant's voices (the first page starts with `default`). */
  async listVoices(options = {}, signal) {
    const query = new URLSearchParams();
    if (options.limit !== void 0) {
      query.set("limit", String(options.limit));
    }
    if (options.after !== void 0) {
      query.set("after", options.after);
    }
    const path = "/v1/voices" + (query.size > 0 ? "?" + query.toString() : "");
    const body = await (await this.send("GET", path, void 0, void 0, signal)).json();
    return {
      voices: body.voices.map(toVoice),
      hasMore: body.has_more === true,
      nextAfter: typeof body.next_after === "string" ? body.next_after : void 0
    };
  }
  /** Every voice, page by page. */
  async *allVoices(signal) {
    let after;
    while (true) {
      const page = await this.listVoices(after === void 0 ? {} : { after }, signal);
      yield* page.voices;
      if (!page.hasMore || page.nextAfter === void 0) {
        return;
      }
      after = page.nextAfter;
    }
  }
  async getVoice(voiceId, signal) {
    return toVoice(await (await this.send("GET", voicePath(voiceId), void 0, void 0, signal)).json());
  }
  /** Enrols a clip under an id the server picks. */
  async createVoice(clip, signal) {
    return toVoice(await (await this.send("POST", "/v1/voices", clip, "audio/wav", signal)).json());
  }
  /** Enrols or replaces a clip under the given id. */
  async putVoice(voiceId, clip, signal) {
    return toVoice(await (await this.send("PUT", voicePath(voiceId), clip, "audio/wav", signal)).json());
  }
  async deleteVoice(voiceId, signal) {
    await this.send("DELETE", voicePath(voiceId), void 0, void 0, signal);
  }
  /** The headers that carry the API key, when there is one. */
  authHeaders() {
    return this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {};
  }
  async send(method, path, body, contentType, signal) {
    const headers = this.authHeaders();
    if (contentType) {
      headers["content-type"] = contentType;
    }
    let response;
    try {
      response = await this.fetchImpl(new URL(path, this.baseUrl), {
        method,
        headers,
        ...body === void 0 ? {} : { body },
        ...signal ? { signal } : {}
      });
    } catch (error) {
      if (error instanceof Error && error.name === "AbortError") {
        throw error;
      }
      throw new SawtError("connection_failed", `${method} ${path} failed: ${String(error)}`, { retryable: true, cause: error });
    }
    if (!response.ok) {
      throw await errorFromResponse(response);
    }
    return response;
  }
};
function voicePath(voiceId) {
  return "/v1/voices/" + encodeURIComponent(voiceId);
}
function toVoice(v) {
  return {
    voiceId: String(v.voice_id),
    contentHash: String(v.content_hash),
    durationSeconds: typeof v.duration_seconds === "number" ? v.duration_seconds : null,
    sampleRate: typeof v.sample_rate === "number" ? v.sample_rate : null,
    channels: typeof v.channels === "number" ? v.channels : null,
    createdAt: typeof v.created_at === "string" ? v.created_at : null,
    bundle: String(v.bundle),
    readOnly: v.read_only === true
  };
}

// src/client.ts
var Open = 1;
var SawtClient = class {
  http;
  options;
  contexts = /* @__PURE__ */ new Map();
  socket;
  connecting;
  pending;
  closed = false;
  counter = 0;
  idPrefix = Math.random().toString(36).slice(2, 8);
  constructor(options) {
    this.options = options;
    this.http = new SawtHttp(options.baseUrl, options.apiKey, options.fetch);
  }
  /** Whether the socket is open now. */
  get connected() {
    return this.socket !== void 0 && this.socket.readyState === Open;
  }
  /** Opens the socket now (otherwise the first context does), retrying with backoff. */
  async connect() {
    await this.ensureSocket();
  }
  /**
   * Starts a context; resolves once the server has `started` it, rejects with the {@link SawtError} that refused it
   * (e.g. `unknown_voice`, `too_many_contexts`, `busy`).
   */
  async open(options) {
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
      ...options.text !== void 0 ? { text: options.text } : {},
      ...speechFields(options),
      ...incremental ? { incremental: true } : {}
    }));
    await context.started;
    return context;
  }
  /**
   * Speaks a text, or an async source of text pieces (an LLM's streamed reply) sent as they come and ended when the
   * source ends. Iterate the returned context for the audio.
   */
  async speak(text, options = {}) {
    if (typeof text === "string") {
      return this.open({ ...options, text });
    }
    const context = await this.open({ ...options, incremental: true });
    context.sendFrom(text).catch((error) => {
      this.reportError(error instanceof SawtError ? error : new SawtError("text_source_failed", String(error), { contextId: context.id, cause: error }));
    });
    return context;
  }
  /** Closes the socket; running contexts fail with `closed`. The client cannot be used afterwards. */
  close() {
    this.closed = true;
    const socket = this.socket;
    this.socket = void 0;
    this.failAll(new SawtError(ClientErrorCodes.Closed, "The client was closed.", { contextEnded: true }));
    socket?.close(1e3, "client closed");
  }
  /** @internal */
  sendJson(message) {
    const socket = this.socket;
    if (!socket || socket.readyState !== Open) {
      throw new SawtError(ClientErrorCodes.ConnectionLost, "The socket is not open.", { retryable: true });
    }
    socket.send(JSON.stringify(message));
  }
  /** @internal */
  reportError(error) {
    this.options.onError?.(error);
  }
  /** @internal */
  release(context) {
    if (this.contexts.get(context.id) === context) {
      this.contexts.delete(context.id);
    }
  }
  async ensureSocket() {
    if (this.closed) {
      throw new SawtError(ClientErrorCodes.Closed, "The client was closed.");
    }
    if (this.socket && this.socket.readyState === Open) {
      return this.socket;
    }
    this.connecting ??= this.connectWithBackoff().finally(() => {
      this.connecting = void 0;
    });
    return this.connecting;
  }
  async connectWithBackoff() {
    const maxAttempts = this.options.reconnect?.maxAttempts ?? 10;
    const maxDelay = this.options.reconnect?.maxDelayMs ?? 5e3;
    let delay = this.options.reconnect?.initialDelayMs ?? 100;
    let lastError;
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
      cause: lastError
    });
  }
  async connectOnce() {
    const { ctor, headers } = await this.resolveWebSocket();
    const url = this.wsUrl(!headers);
    const socket = headers && this.options.apiKey ? new ctor(url, void 0, { headers: { authorization: `Bearer ${this.options.apiKey}` } }) : new ctor(url);
    socket.binaryType = "arraybuffer";
    socket.addEventListener("error", () => void 0);
    const opened = await new Promise((resolve) => {
      socket.addEventListener("open", () => resolve(true));
      socket.addEventListener("close", () => resolve(false));
    });
    if (!opened) {
      throw await this.handshakeError();
    }
    if (this.closed) {
      socket.close(1e3, "client closed");
      throw new SawtError(ClientErrorCodes.Closed, "The client was closed.");
    }
    this.socket = socket;
    this.pending = void 0;
    socket.addEventListener("message", (event) => this.onMessage(event.data));
    socket.addEventListener("close", (event) => this.onClose(socket, event.code, event.reason));
    return socket;
  }
  async handshakeError() {
    try {
      const response = await (this.options.fetch ?? globalThis.fetch.bind(globalThis))(new URL("/v1/ws", this.options.baseUrl), {
        headers: this.http.authHeaders()
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
  async resolveWebSocket() {
    if (this.options.WebSocket) {
      return { ctor: this.options.WebSocket, headers: false };
    }
    const global = globalThis.WebSocket;
    if (global) {
      return { ctor: global, headers: false };
    }
    const name = "ws";
    const module = await import(name);
    return { ctor: module.default, headers: true };
  }
  wsUrl(keyInQuery) {
    const url = new URL("/v1/ws", this.options.baseUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    if (keyInQuery && this.options.apiKey) {
      url.searchParams.set("api_key", this.options.apiKey);
    }
    return url.toString();
  }
  onMessage(data) {
    if (typeof data !== "string") {
      this.onBinary(data);
      return;
    }
    let message;
    try {
      message = JSON.parse(data);
    } catch (error) {
      this.reportError(new SawtError(ClientErrorCodes.ProtocolError, "The server sent a text frame that is not JSON.", { cause: error }));
      return;
    }
    if (message.type === "audio") {
      if (this.pending) {
        this.reportError(new SawtError(ClientErrorCodes.ProtocolError, "An audio message arrived before the previous one's binary frame."));
      }
      this.pending = { message };
      return;
    }
    const context = typeof message.context_id === "string" ? this.contexts.get(message.context_id) : void 0;
    if (context) {
      context.handle(message);
    } else if (message.type === "error") {
      this.reportError(errorFromMessage(message));
    }
  }
  onBinary(data) {
    const pending = this.pending;
    this.pending = void 0;
    if (!pending) {
      this.reportError(new SawtError(ClientErrorCodes.ProtocolError, "A binary frame arrived without its audio message."));
      return;
    }
    const m = pending.message;
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(0);
    const chunk = {
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
      receivedAt: now()
    };
    this.contexts.get(chunk.contextId)?.handleAudio(chunk);
  }
  onClose(socket, code, reason) {
    if (this.socket !== socket) {
      return;
    }
    this.socket = void 0;
    this.pending = void 0;
    const running = this.contexts.size;
    this.failAll(new SawtError(ClientErrorCodes.ConnectionLost, `The socket closed (${code}${reason ? " " + reason : ""}) while the context ran.`, {
      retryable: true,
      contextEnded: true
    }));
    if (running > 0) {
      this.options.onDisconnect?.(code, reason);
    }
  }
  failAll(error) {
    for (const context of [...this.contexts.values()]) {
      context.fail(new SawtError(error.code, error.message, {
        retryable: error.retryable,
        contextId: context.id,
        contextEnded: true
      }));
    }
    this.contexts.clear();
  }
};
function now() {
  return globalThis.performance.now();
}
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// playground/playground.ts
var Languages = ["ar", "da", "de", "el", "en", "es", "fi", "fr", "he", "hi", "it", "ja", "ko", "ms", "nl", "no", "pl", "pt", "ru", "sv", "sw", "tr", "zh"];
var Rate = 24e3;
var params = new URLSearchParams(location.search);
var apiKey = params.get("api_key") ?? void 0;
var client = new SawtClient({
  baseUrl: location.origin,
  ...apiKey ? { apiKey } : {},
  onError: (error) => setStatus(`warning ${error.code}: ${error.message}`)
});
function $(id) {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`#${id} is missing`);
  }
  return element;
}
var dataset = document.body.dataset;
function setState(state, message) {
  dataset.state = state;
  if (message !== void 0) {
    setStatus(message);
  }
}
function setStatus(message) {
  $("status").textContent = message;
}
function describe(error) {
  return error instanceof SawtError ? `error ${error.code}: ${error.message}` : `error: ${String(error)}`;
}
async function refreshVoices(select) {
  const voices = [];
  for await (const voice of client.http.allVoices()) {
    voices.push(voice);
  }
  const rows = $("voices");
  rows.replaceChildren();
  const picker = $("voice");
  const current2 = select ?? picker.value;
  picker.replaceChildren();
  for (const voice of voices) {
    const row = document.createElement("tr");
    row.dataset.voiceId = voice.voiceId;
    for (const text of [
      voice.voiceId,
      voice.durationSeconds === null ? "" : `${voice.durationSeconds.toFixed(2)} s`,
      voice.sampleRate === null ? "" : `${voice.sampleRate} Hz \xD7 ${voice.channels}`,
      voice.createdAt ?? ""
    ]) {
      const cell2 = document.createElement("td");
      cell2.textContent = text;
      row.appendChild(cell2);
    }
    const cell = document.createElement("td");
    if (!voice.readOnly) {
      const remove = document.createElement("button");
      remove.textContent = "delete";
      remove.className = "delete-voice";
      remove.addEventListener("click", () => {
        client.http.deleteVoice(voice.voiceId).then(() => refreshVoices()).catch((e) => {
          $("voice-status").textContent = describe(e);
        });
      });
      cell.appendChild(remove);
    }
    row.appendChild(cell);
    rows.appendChild(row);
    const option = document.createElement("option");
    option.value = option.textContent = voice.voiceId;
    picker.appendChild(option);
  }
  picker.value = voices.some((v) => v.voiceId === current2) ? current2 : "default";
  dataset.voices = String(voices.length);
}
async function enrol(clip, what) {
  $("voice-status").textContent = `uploading ${what}\u2026`;
  try {
    const voice = await client.http.createVoice(clip);
    await refreshVoices(voice.voiceId);
    dataset.voiceUploaded = voice.voiceId;
    $("voice-status").textContent = `enrolled ${voice.voiceId} (${voice.durationSeconds?.toFixed(2)} s)`;
  } catch (error) {
    $("voice-status").textContent = describe(error);
  }
}
$("voice-file").addEventListener("change", (event) => {
  const file = event.target.files?.[0];
  if (file) {
    void enrol(file, file.name);
  }
});
var recorder;
$("record").addEventListener("click", () => {
  if (recorder) {
    recorder.stop();
    return;
  }
  void (async () => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const parts = [];
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", (e) => parts.push(e.data));
      recorder.addEventListener("stop", () => {
        recorder = void 0;
        stream.getTracks().forEach((t) => t.stop());
        $("record").textContent = "Record from microphone";
        void new Blob(parts).arrayBuffer().then((bytes) => new AudioContext().decodeAudioData(bytes)).then((audio2) => enrol(new Blob([wav(mixDown(audio2), audio2.sampleRate)], { type: "audio/wav" }), "recording")).catch((e) => {
          $("voice-status").textContent = describe(e);
        });
      });
      recorder.start();
      $("record").textContent = "Stop recording";
      $("voice-status").textContent = "recording\u2026 (1-30 s)";
    } catch (error) {
      $("voice-status").textContent = describe(error);
    }
  })();
});
function mixDown(audio2) {
  const mono = new Float32Array(audio2.length);
  for (let c = 0; c < audio2.numberOfChannels; c++) {
    const channel = audio2.getChannelData(c);
    for (let i = 0; i < mono.length; i++) {
      mono[i] += channel[i] / audio2.numberOfChannels;
    }
  }
  return mono;
}
function wav(samples, rate) {
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const ascii = (offset, s) => {
    for (let i = 0; i < s.length; i++) {
      view.setUint8(offset + i, s.charCodeAt(i));
    }
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => view.setInt16(44 + i * 2, Math.max(-1, Math.min(1, s)) * 32767, true));
  return buffer;
}
for (const code of Languages) {
  const option = document.createElement("option");
  option.value = option.textContent = code;
  $("language").appendChild(option);
}
$("language").value = params.get("language") ?? "ar";
if (params.get("text")) {
  $("text").value = params.get("text");
}
function numberField(id) {
  const value = $(id).value.trim();
  return value === "" ? void 0 : Number(value);
}
function speechOptions() {
  const sampling = {};
  const fields = [
    ["temperature", "temperature"],
    ["topP", "top_p"],
    ["minP", "min_p"],
    ["repetitionPenalty", "repetition_penalty"],
    ["cfgWeight", "cfg_weight"],
    ["exaggeration", "exaggeration"],
    ["seed", "seed"]
  ];
  for (const [key, id] of fields) {
    const value = numberField(id);
    if (value !== void 0) {
      sampling[key] = value;
    }
  }
  return {
    language: $("language").value,
    voice: $("voice").value || "default",
    outputFormat: { encoding: "pcm_f32le", sampleRate: Rate },
    sampling
  };
}
var audio;
var Utterance = class {
  constructor(number, requestedAt, voice, mode) {
    this.number = number;
    this.requestedAt = requestedAt;
    this.voice = voice;
    this.element = document.createElement("div");
    this.element.className = "utterance";
    const title = document.createElement("div");
    title.textContent = `#${number} \xB7 voice ${voice} \xB7 ${mode}`;
    this.figures = document.createElement("div");
    this.figures.className = "figures";
    this.figures.textContent = "waiting for audio\u2026";
    this.waveform = document.createElement("canvas");
    this.waveform.className = "waveform";
    this.timeline = document.createElement("canvas");
    this.timeline.className = "timeline";
    this.element.append(title, this.figures, this.waveform, this.timeline);
    $("utterances").prepend(this.element);
    dataset.utterances = String(number);
    dataset.utteranceVoice = voice;
    dataset.chunks = "0";
    delete dataset.firstAudioMs;
    $("chunks").textContent = "chunks scheduled: 0";
  }
  samples = [];
  timings = [];
  sampleCount = 0;
  nextStart = 0;
  element;
  figures;
  waveform;
  timeline;
  drawPending = false;
  play(chunk, context) {
    if (!audio || chunk.data.length === 0) {
      return;
    }
    const samples = new Float32Array(chunk.data.slice().buffer);
    const buffer = audio.createBuffer(1, samples.length, chunk.sampleRate || Rate);
    buffer.copyToChannel(samples, 0);
    const source = audio.createBufferSource();
    source.buffer = buffer;
    source.connect(audio.destination);
    const at = Math.max(this.nextStart, audio.currentTime + 0.02);
    source.start(at);
    this.nextStart = at + buffer.duration;
    const arrivalMs = chunk.receivedAt - this.requestedAt;
    const playStartMs = arrivalMs + (at - audio.currentTime) * 1e3;
    this.timings.push({ arrivalMs, playStartMs, playEndMs: playStartMs + buffer.duration * 1e3 });
    this.samples.push(samples);
    this.sampleCount += samples.length;
    if (this.timings.length === 1) {
      const first = Math.round(context.firstAudioMs ?? arrivalMs);
      dataset.firstAudioMs = String(first);
      setStatus(`first audio after ${first} ms`);
    }
    dataset.chunks = String(this.timings.length);
    dataset.waveformSamples = String(this.sampleCount);
    dataset.timelineChunks = String(this.timings.length);
    $("chunks").textContent = `chunks scheduled: ${this.timings.length}`;
    this.showFigures(context);
    this.scheduleDraw();
  }
  showFigures(context, outcome) {
    const parts = [
      `first audio ${dataset.firstAudioMs ?? "\u2013"} ms`,
      `${this.timings.length} chunks`,
      `${(this.sampleCount / Rate).toFixed(2)} s audio`
    ];
    if (context.summary) {
      parts.push(`server TTFA ${Math.round(context.summary.timeToFirstAudioMs)} ms`, `RTF ${context.summary.realTimeFactor.toFixed(3)}`, `${context.summary.tokens} tokens`);
    }
    this.figures.textContent = [...parts, ...outcome ? [outcome] : []].join(" \xB7 ");
    if (outcome) {
      this.drawWaveform();
      this.drawTimeline();
    }
  }
  scheduleDraw() {
    if (this.drawPending) {
      return;
    }
    this.drawPending = true;
    requestAnimationFrame(() => {
      this.drawPending = false;
      this.drawWaveform();
      this.drawTimeline();
    });
  }
  drawWaveform() {
    const canvas = this.waveform;
    const width = canvas.width = canvas.clientWidth || 600;
    const height = canvas.height = canvas.clientHeight || 70;
    const g = canvas.getContext("2d");
    if (!g || this.sampleCount === 0) {
      return;
    }
    const perColumn = Math.max(1, Math.ceil(this.sampleCount / width));
    g.fillStyle = "#2a6fdb";
    let index = 0;
    let column = 0;
    let min = 1;
    let max = -1;
    for (const block of this.samples) {
      for (const s of block) {
        min = Math.min(min, s);
        max = Math.max(max, s);
        if (++index % perColumn === 0) {
          g.fillRect(column++, (1 - max) * height / 2, 1, Math.max(1, (max - min) * height / 2));
          min = 1;
          max = -1;
        }
      }
    }
  }
  drawTimeline() {
    const canvas = this.timeline;
    const width = canvas.width = canvas.clientWidth || 600;
    const height = canvas.height = canvas.clientHeight || 90;
    const g = canvas.getContext("2d");
    if (!g || this.timings.length === 0) {
      return;
    }
    const end = Math.max(...this.timings.map((t) => t.playEndMs)) * 1.05;
    const x = (ms) => ms / end * width;
    g.font = "10px sans-serif";
    g.fillStyle = "#666";
    g.fillText("arrival", 2, 10);
    g.fillText("playback", 2, height - 4);
    this.timings.forEach((t, i) => {
      g.strokeStyle = "#d33";
      g.beginPath();
      g.moveTo(x(t.arrivalMs), 14);
      g.lineTo(x(t.arrivalMs), 34);
      g.stroke();
      g.strokeStyle = "#bbb";
      g.beginPath();
      g.moveTo(x(t.arrivalMs), 34);
      g.lineTo(x(t.playStartMs), 56);
      g.stroke();
      g.fillStyle = i % 2 === 0 ? "#2a6fdb" : "#6a9ff0";
      g.fillRect(x(t.playStartMs), 56, Math.max(1, x(t.playEndMs) - x(t.playStartMs)), 18);
    });
    g.fillStyle = "#666";
    g.fillText(`${Math.round(end / 1.05)} ms`, width - 50, 10);
  }
};
var utteranceCount = 0;
var current;
var live;
function ensureAudio() {
  audio ??= new AudioContext({ sampleRate: Rate });
  if (audio.state === "suspended") {
    void audio.resume().catch(() => void 0);
  }
}
async function run(context, utterance) {
  try {
    for await (const chunk of context) {
      utterance.play(chunk, context);
    }
    const outcome = await context.completion;
    if (outcome.kind === "done") {
      utterance.showFigures(context, "done");
      setState("done", `${$("status").textContent} \xB7 done: ${outcome.summary.chunks} chunks, ${Math.round(outcome.summary.audioMs)} ms of audio, RTF ${outcome.summary.realTimeFactor}`);
    } else {
      utterance.showFigures(context, "cancelled");
      setState("cancelled", "cancelled");
    }
  } catch (error) {
    utterance.showFigures(context, describe(error));
    setState("error", describe(error));
  }
}
async function play() {
  ensureAudio();
  current?.cancel();
  const options = speechOptions();
  const utterance = new Utterance(++utteranceCount, performance.now(), options.voice ?? "default", "whole text");
  setState("streaming", "requested\u2026");
  const context = await client.open({ ...options, text: $("text").value });
  current = context;
  setState("streaming", `started session ${context.sessionId}`);
  await run(context, utterance);
}
function onType() {
  if (!$("live").checked) {
    return;
  }
  if (!live) {
    ensureAudio();
    current?.cancel();
    const options = speechOptions();
    const utterance = new Utterance(++utteranceCount, performance.now(), options.voice ?? "default", "streamed as typed");
    setState("streaming", "requested\u2026");
    const opening = client.open({ ...options, incremental: true });
    live = { opening, sent: 0, utterance };
    $("finish").disabled = false;
    void opening.then((context) => {
      current = context;
      return run(context, utterance);
    }).catch((e) => setState("error", describe(e)));
  }
  const state = live;
  void state.opening.then((context) => {
    const text = $("text").value;
    const upTo = Math.max(text.lastIndexOf(" "), text.lastIndexOf("\n")) + 1;
    if (upTo > state.sent && !context.isEnded) {
      context.send(text.slice(state.sent, upTo));
      state.sent = upTo;
      dataset.liveSent = String(Number(dataset.liveSent ?? "0") + 1);
    }
  }).catch((e) => setState("error", describe(e)));
}
function finishTyping() {
  const state = live;
  live = void 0;
  $("finish").disabled = true;
  if (!state) {
    return;
  }
  void state.opening.then((context) => {
    const rest = $("text").value.slice(state.sent);
    if (!context.isEnded) {
      if (rest.trim().length > 0) {
        context.send(rest);
      }
      context.end();
    }
  }).catch((e) => setState("error", describe(e)));
}
$("text").addEventListener("input", onType);
$("finish").addEventListener("click", finishTyping);
$("live").addEventListener("change", () => {
  if (!$("live").checked) {
    finishTyping();
  }
});
$("play").addEventListener("click", () => {
  play().catch((e) => setState("error", describe(e)));
});
$("stop").addEventListener("click", () => {
  current?.cancel();
});
setState("idle");
refreshVoices().catch((e) => {
  $("voice-status").textContent = describe(e);
});
if (params.get("autoplay") === "1") {
  play().catch((e) => setState("error", describe(e)));
}
