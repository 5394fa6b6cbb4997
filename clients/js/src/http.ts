import { SawtError, errorFromResponse } from "./errors.js";
import { speechFields, type SpeechOptions } from "./protocol.js";

/** A voice as the voices API describes it. */
export interface Voice {
  voiceId: string;
  contentHash: string;
  durationSeconds: number | null;
  sampleRate: number | null;
  channels: number | null;
  createdAt: string | null;
  bundle: string;
  readOnly: boolean;
}

/** One page of `GET /v1/voices`. */
export interface VoicePage {
  voices: Voice[];
  hasMore: boolean;
  nextAfter: string | undefined;
}

/** A whole utterance from `POST /v1/tts`. */
export interface SynthesizedAudio {
  /** WAV for PCM encodings, the raw encoded bytes otherwise. */
  data: Uint8Array;
  contentType: string;
  encoding: string;
  sampleRate: number;
  channels: number;
}

/** A reference clip: a WAV file's bytes, or a Blob/File (from a file input or a recording). */
export type VoiceClip = Uint8Array | ArrayBuffer | Blob;

/** The HTTP calls: synthesis (`/v1/tts`, `/v1/tts/stream`) and the voices API. Every failure is a {@link SawtError}. */
export class SawtHttp {
  private readonly baseUrl: URL;
  private readonly apiKey: string | undefined;
  private readonly fetchImpl: typeof fetch;

  constructor(baseUrl: string | URL, apiKey?: string, fetchImpl?: typeof fetch) {
    this.baseUrl = new URL(baseUrl);
    this.apiKey = apiKey;
    // Bound to globalThis: browsers refuse a fetch called on another receiver.
    this.fetchImpl = fetchImpl ?? globalThis.fetch.bind(globalThis);
  }

  /** The whole utterance at once. */
  async synthesize(text: string, options: SpeechOptions = {}, signal?: AbortSignal): Promise<SynthesizedAudio> {
    const response = await this.send("POST", "/v1/tts", JSON.stringify({ text, ...speechFields(options) }), "application/json", signal);
    return {
      data: new Uint8Array(await response.arrayBuffer()),
      contentType: response.headers.get("content-type") ?? "",
      encoding: response.headers.get("x-encoding") ?? "",
      sampleRate: Number(response.headers.get("x-sample-rate") ?? 0),
      channels: Number(response.headers.get("x-channels") ?? 1),
    };
  }

  /** The utterance's raw encoded audio as it is produced (chunked `POST /v1/tts/stream`). */
  async *stream(text: string, options: SpeechOptions = {}, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
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
      // After the first audio the server can only abort the body (docs/protocol.md): a truncated stream.
      if (error instanceof SawtError || (error instanceof Error && error.name === "AbortError")) {
        throw error;
      }

      throw new SawtError("stream_aborted", "The audio stream ended early.", { retryable: true, cause: error });
    } finally {
      reader.releaseLock();
    }
  }

  /** One page of the tenant's voices (the first page starts with `default`). */
  async listVoices(options: { limit?: number; after?: string } = {}, signal?: AbortSignal): Promise<VoicePage> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) {
      query.set("limit", String(options.limit));
    }

    if (options.after !== undefined) {
      query.set("after", options.after);
    }

    const path = "/v1/voices" + (query.size > 0 ? "?" + query.toString() : "");
    const body = await (await this.send("GET", path, undefined, undefined, signal)).json() as Record<string, unknown>;
    return {
      voices: (body.voices as Record<string, unknown>[]).map(toVoice),
      hasMore: body.has_more === true,
      nextAfter: typeof body.next_after === "string" ? body.next_after : undefined,
    };
  }

  /** Every voice, page by page. */
  async *allVoices(signal?: AbortSignal): AsyncGenerator<Voice> {
    let after: string | undefined;
    while (true) {
      const page = await this.listVoices(after === undefined ? {} : { after }, signal);
      yield* page.voices;
      if (!page.hasMore || page.nextAfter === undefined) {
        return;
      }

      after = page.nextAfter;
    }
  }

  async getVoice(voiceId: string, signal?: AbortSignal): Promise<Voice> {
    return toVoice(await (await this.send("GET", voicePath(voiceId), undefined, undefined, signal)).json() as Record<string, unknown>);
  }

  /** Enrols a clip under an id the server picks. */
  async createVoice(clip: VoiceClip, signal?: AbortSignal): Promise<Voice> {
    return toVoice(await (await this.send("POST", "/v1/voices", clip, "audio/wav", signal)).json() as Record<string, unknown>);
  }

  /** Enrols or replaces a clip under the given id. */
  async putVoice(voiceId: string, clip: VoiceClip, signal?: AbortSignal): Promise<Voice> {
    return toVoice(await (await this.send("PUT", voicePath(voiceId), clip, "audio/wav", signal)).json() as Record<string, unknown>);
  }

  async deleteVoice(voiceId: string, signal?: AbortSignal): Promise<void> {
    await this.send("DELETE", voicePath(voiceId), undefined, undefined, signal);
  }

  /** The headers that carry the API key, when there is one. */
  authHeaders(): Record<string, string> {
    return this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {};
  }

  private async send(
    method: string,
    path: string,
    body: string | VoiceClip | undefined,
    contentType: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = this.authHeaders();
    if (contentType) {
      headers["content-type"] = contentType;
    }

    let response: Response;
    try {
      response = await this.fetchImpl(new URL(path, this.baseUrl), {
        method,
        headers,
        ...(body === undefined ? {} : { body: body as BodyInit }),
        ...(signal ? { signal } : {}),
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
}

function voicePath(voiceId: string): string {
  return "/v1/voices/" + encodeURIComponent(voiceId);
}

function toVoice(v: Record<string, unknown>): Voice {
  return {
    voiceId: String(v.voice_id),
    contentHash: String(v.content_hash),
    durationSeconds: typeof v.duration_seconds === "number" ? v.duration_seconds : null,
    sampleRate: typeof v.sample_rate === "number" ? v.sample_rate : null,
    channels: typeof v.channels === "number" ? v.channels : null,
    createdAt: typeof v.created_at === "string" ? v.created_at : null,
    bundle: String(v.bundle),
    readOnly: v.read_only === true,
  };
}
