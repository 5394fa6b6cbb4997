/** Wire shapes of /v1/ws (docs/protocol.md, version 1) and the typed options the client maps onto them. */

/** Output audio: `pcm_f32le` (default), `pcm_s16le`, `mulaw`, `alaw`, `opus`, `mp3`, `ogg_opus`, `aac`, `flac`. */
export interface OutputFormat {
  encoding?: string;
  sampleRate?: number;
}

/** Sampling settings; omitted ones take the server's defaults. */
export interface SamplingOptions {
  temperature?: number;
  minP?: number;
  topP?: number;
  repetitionPenalty?: number;
  cfgWeight?: number;
  exaggeration?: number;
  seed?: number;
  maxNewTokens?: number;
}

/** Chunking settings; omitted ones take the server's defaults. */
export interface ChunkingOptions {
  schedule?: number[];
  contextTokens?: number;
  holdbackTokens?: number;
  crossFadeMs?: number;
  sentencePauseMs?: number;
}

/** What a synthesis asks for, over WebSocket or HTTP. */
export interface SpeechOptions {
  /** Language code, default `ar`. */
  language?: string;
  /** Voice id, default `default`. */
  voice?: string;
  outputFormat?: OutputFormat;
  sampling?: SamplingOptions;
  chunking?: ChunkingOptions;
}

/** One chunk of audio with the metadata of its `audio` message. */
export interface AudioChunk {
  contextId: string;
  /** 0, 1, 2, ... per context. */
  sequence: number;
  encoding: string;
  sampleRate: number;
  /** The encoded audio (the binary frame that followed the `audio` message); may be empty for container encodings. */
  data: Uint8Array;
  startMs: number;
  durationMs: number;
  /** UTF-16 span of the text being spoken. */
  textStart: number;
  textLength: number;
  isFinal: boolean;
  /** When the chunk's bytes arrived, in the client's `performance.now()` milliseconds. */
  receivedAt: number;
}

/** The `done` message's figures. */
export interface ContextSummary {
  timeToFirstAudioMs: number;
  realTimeFactor: number;
  tokens: number;
  audioMs: number;
  chunks: number;
  /** Why generation ended (`end_of_speech`, `step_cap`, `long_tail`, ...); absent when the server does not say. */
  stopReason?: string;
  /** What the alignment guard saw without stopping (`false_start`, `discontinuity`); absent for none. */
  alignmentWarnings?: string[];
}

/** A server message as JSON (fields are snake_case on the wire). */
export interface ServerMessage {
  type: string;
  context_id?: string;
  [field: string]: unknown;
}

/** Turns camelCase option names into the wire's snake_case, recursively; arrays and values are kept. */
export function toWire(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(toWire);
  }

  if (value !== null && typeof value === "object") {
    const result: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
      if (field !== undefined) {
        result[key.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase())] = toWire(field);
      }
    }

    return result;
  }

  return value;
}

/** The synthesize/HTTP body fields of {@link SpeechOptions}. */
export function speechFields(options: SpeechOptions): Record<string, unknown> {
  return toWire({
    language: options.language,
    voice: options.voice,
    outputFormat: options.outputFormat,
    sampling: options.sampling,
    chunking: options.chunking,
  }) as Record<string, unknown>;
}
