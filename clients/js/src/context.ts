import { SawtError } from "./errors.js";
import type { AudioChunk, ContextSummary, ServerMessage } from "./protocol.js";
import { AsyncQueue } from "./queue.js";

/** How a context ended: `done` with its figures, or `cancelled`. Failures reject instead. */
export type ContextOutcome = { kind: "done"; summary: ContextSummary } | { kind: "cancelled" };

/** What a context needs from its socket (the client implements it). */
export interface ContextHost {
  sendJson(message: Record<string, unknown>): void;
  reportError(error: SawtError): void;
  release(context: SawtContext): void;
}

/**
 * One utterance (context) on a shared socket. Iterate it for its audio chunks; the iteration ends after `done` or
 * `cancelled` and throws a {@link SawtError} when the context fails. Errors that refuse one message and end nothing
 * (e.g. a `text` over the length limit) do not end it: they are kept in {@link warnings} and reported to the
 * client's `onError`.
 */
export class SawtContext implements AsyncIterable<AudioChunk> {
  readonly id: string;
  readonly incremental: boolean;
  /** The cluster's session id, once `started`. */
  sessionId: string | undefined;
  /** The `done` message's figures, once done. */
  summary: ContextSummary | undefined;
  /** Milliseconds from the request to the first audio bytes, measured by this client. */
  firstAudioMs: number | undefined;
  /** Non-terminal errors about this context, in arrival order. */
  readonly warnings: SawtError[] = [];
  /** Resolves when the context ends (`done` or `cancelled`); rejects with its terminal {@link SawtError}. */
  readonly completion: Promise<ContextOutcome>;
  /** Resolves on `started`; rejects if the context ends before it starts. */
  readonly started: Promise<string>;

  private readonly host: ContextHost;
  private readonly queue = new AsyncQueue<AudioChunk>();
  private readonly requestedAt: number;
  private ended = false;
  private inputEnded = false;
  private resolveCompletion!: (outcome: ContextOutcome) => void;
  private rejectCompletion!: (error: SawtError) => void;
  private resolveStarted!: (sessionId: string) => void;
  private rejectStarted!: (error: SawtError) => void;

  /** @internal Created by {@link SawtClient.open}. */
  constructor(host: ContextHost, id: string, incremental: boolean, requestedAt: number) {
    this.host = host;
    this.id = id;
    this.incremental = incremental;
    this.requestedAt = requestedAt;
    this.completion = new Promise<ContextOutcome>((resolve, reject) => {
      this.resolveCompletion = resolve;
      this.rejectCompletion = reject;
    });
    this.started = new Promise<string>((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    // A caller that only iterates must not see unhandled rejections of the promises it never awaited.
    this.completion.catch(() => undefined);
    this.started.catch(() => undefined);
  }

  /** True once the context has ended (done, cancelled or failed). */
  get isEnded(): boolean {
    return this.ended;
  }

  /** More text for an incremental context; with `flush`, spoken now without waiting for a sentence end. */
  send(text: string, options: { flush?: boolean } = {}): void {
    this.assertInput();
    this.host.sendJson({ type: "text", context_id: this.id, text, ...(options.flush ? { flush: true } : {}) });
  }

  /** Speak the buffered text now. */
  flush(): void {
    this.assertInput();
    this.host.sendJson({ type: "flush", context_id: this.id });
  }

  /** End of input: the rest is spoken, then `done`. */
  end(): void {
    if (this.ended || this.inputEnded) {
      return;
    }

    this.inputEnded = true;
    this.host.sendJson({ type: "end", context_id: this.id });
  }

  /** Stop now; the iteration ends after `cancelled` (no audio of this context follows it). */
  cancel(): void {
    if (!this.ended) {
      this.host.sendJson({ type: "cancel", context_id: this.id });
    }
  }

  /**
   * Sends every piece of an async text source (an LLM's streamed reply) as it comes, then `end`. Empty pieces are
   * skipped (the server refuses empty text). Stops early if the context ends; a failing source cancels the context
   * and rethrows.
   */
  async sendFrom(source: AsyncIterable<string> | Iterable<string>): Promise<void> {
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

  [Symbol.asyncIterator](): AsyncIterator<AudioChunk> {
    return this.queue[Symbol.asyncIterator]();
  }

  /** @internal A message of this context from the socket. */
  handle(message: ServerMessage): void {
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
          chunks: Number(message.chunks),
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
        // Unknown server messages are ignored, as the protocol lets servers add them.
        break;
    }
  }

  /** @internal An audio chunk (metadata and its binary frame) of this context. */
  handleAudio(chunk: AudioChunk): void {
    if (this.ended) {
      return;
    }

    if (this.firstAudioMs === undefined && chunk.data.length > 0) {
      this.firstAudioMs = chunk.receivedAt - this.requestedAt;
    }

    this.queue.push(chunk);
  }

  /** @internal Ends the context with an error (a terminal `error`, or the socket closing under it). */
  fail(error: SawtError): void {
    if (this.ended) {
      return;
    }

    this.ended = true;
    this.queue.end(error);
    this.rejectStarted(error);
    this.rejectCompletion(error);
    this.host.release(this);
  }

  private finish(outcome: ContextOutcome): void {
    if (this.ended) {
      return;
    }

    this.ended = true;
    this.queue.end();
    // A context cancelled before `started` still ends cleanly; its session id stays unknown.
    this.resolveStarted(this.sessionId ?? "");
    this.resolveCompletion(outcome);
    this.host.release(this);
  }

  private assertInput(): void {
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
}

/** An `error` message as a typed error. */
export function errorFromMessage(message: ServerMessage): SawtError {
  return new SawtError(String(message.code ?? "internal_error"), String(message.message ?? ""), {
    retryable: message.retryable === true,
    retryAfterMs: typeof message.retry_after_ms === "number" ? message.retry_after_ms : undefined,
    contextId: typeof message.context_id === "string" ? message.context_id : undefined,
    contextEnded: message.context_ended === true,
  });
}
