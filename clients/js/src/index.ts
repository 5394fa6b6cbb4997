export { SawtClient, type SawtClientOptions, type ContextOptions, type ReconnectOptions, type WebSocketConstructor, type WebSocketLike } from "./client.js";
export { SawtContext, type ContextOutcome } from "./context.js";
export { SawtError, ClientErrorCodes } from "./errors.js";
export { SawtHttp, type Voice, type VoicePage, type SynthesizedAudio, type VoiceClip } from "./http.js";
export type { AudioChunk, ContextSummary, OutputFormat, SamplingOptions, ChunkingOptions, SpeechOptions } from "./protocol.js";
