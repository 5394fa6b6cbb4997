import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SawtClient, SawtError, type AudioChunk, type WebSocketConstructor } from "../src/index.js";

type Listener = (event: unknown) => void;

/** A scripted socket: the test plays the server's frames; what the client sends is recorded. */
class ScriptedSocket {
  static last: ScriptedSocket | undefined;
  binaryType = "blob";
  readyState = 0;
  readonly sent: Record<string, unknown>[] = [];
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly url: string) {
    ScriptedSocket.last = this;
    queueMicrotask(() => {
      this.readyState = 1;
      this.emit("open", {});
    });
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(code = 1000, reason = ""): void {
    this.readyState = 3;
    this.emit("close", { code, reason });
  }

  text(message: Record<string, unknown>): void {
    this.emit("message", { data: JSON.stringify(message) });
  }

  binary(bytes: number[]): void {
    this.emit("message", { data: new Uint8Array(bytes).buffer });
  }

  private emit(type: string, event: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) {
      listener(event);
    }
  }
}

function audio(contextId: string, sequence: number, bytes: number): Record<string, unknown> {
  return {
    type: "audio", context_id: contextId, sequence, encoding: "pcm_s16le", sample_rate: 24000, bytes,
    start_ms: sequence * 10, duration_ms: 10, text_start: 0, text_length: 3, is_final: false,
  };
}

async function openScripted(onError?: (e: SawtError) => void) {
  const client = new SawtClient({ baseUrl: "http://sawt.test", apiKey: "k".repeat(20), WebSocket: ScriptedSocket as unknown as WebSocketConstructor, ...(onError ? { onError } : {}) });
  const opening = [client.open({ contextId: "a", text: "one" }), client.open({ contextId: "b", text: "two" })];
  await new Promise((r) => setImmediate(r));
  const socket = ScriptedSocket.last!;
  socket.text({ type: "started", context_id: "a", session_id: "s-a" });
  socket.text({ type: "started", context_id: "b", session_id: "s-b" });
  const [a, b] = await Promise.all(opening);
  return { client, socket, a: a!, b: b! };
}

async function collect(iterable: AsyncIterable<AudioChunk>): Promise<AudioChunk[]> {
  const chunks: AudioChunk[] = [];
  for await (const chunk of iterable) {
    chunks.push(chunk);
  }

  return chunks;
}

/** The pairing of audio messages with their binary frames and the routing of interleaved contexts, without a server. */
describe("SawtClient pairing", { timeout: 10_000 }, () => {
  it("pairs each audio message with the next binary frame, whichever context it belongs to", async () => {
    const { socket, a, b } = await openScripted();
    assert.equal(new URL(socket.url).searchParams.get("api_key"), "k".repeat(20));
    assert.deepEqual(socket.sent.map((m) => [m.type, m.context_id]), [["synthesize", "a"], ["synthesize", "b"]]);

    socket.text(audio("a", 0, 2)); socket.binary([1, 2]);
    socket.text(audio("b", 0, 3)); socket.binary([7, 8, 9]);
    socket.text(audio("a", 1, 0)); socket.binary([]);
    socket.text(audio("b", 1, 1)); socket.binary([5]);
    socket.text({ type: "done", context_id: "a", time_to_first_audio_ms: 5, real_time_factor: 0.5, tokens: 9, audio_ms: 20, chunks: 2, stop_reason: "long_tail", alignment_warnings: ["false_start"] });
    socket.text({ type: "cancelled", context_id: "b" });

    const [chunksA, chunksB] = await Promise.all([collect(a), collect(b)]);
    assert.deepEqual(chunksA.map((c) => [c.sequence, [...c.data]]), [[0, [1, 2]], [1, []]]);
    assert.deepEqual(chunksB.map((c) => [c.sequence, [...c.data]]), [[0, [7, 8, 9]], [1, [5]]]);
    assert.deepEqual(await a.completion, { kind: "done", summary: { timeToFirstAudioMs: 5, realTimeFactor: 0.5, tokens: 9, audioMs: 20, chunks: 2, stopReason: "long_tail", alignmentWarnings: ["false_start"] } });
    assert.deepEqual(await b.completion, { kind: "cancelled" });
  });

  it("ends a context with its terminal error, typed with the retry hint, and keeps the others", async () => {
    const { socket, a, b } = await openScripted();
    socket.text({ type: "error", context_id: "a", context_ended: true, code: "busy", message: "full", retryable: true, retry_after_ms: 1500 });
    await assert.rejects(collect(a), (e: unknown) => e instanceof SawtError && e.code === "busy" && e.retryable && e.retryAfterMs === 1500 && e.retryAfter === 1.5 && e.contextId === "a");
    assert.ok(!b.isEnded);
    socket.text(audio("b", 0, 1)); socket.binary([4]);
    socket.text({ type: "done", context_id: "b", time_to_first_audio_ms: 1, real_time_factor: 1, tokens: 1, audio_ms: 10, chunks: 1 });
    assert.equal((await collect(b)).length, 1);
  });

  it("reports a binary frame without its audio message as a protocol error and delivers none of it", async () => {
    const errors: SawtError[] = [];
    const { socket, a } = await openScripted((e) => errors.push(e));
    socket.binary([1]);
    socket.text(audio("a", 0, 1)); socket.binary([2]);
    // A second frame after the pair has no metadata left to pair with.
    socket.binary([3]);
    socket.text({ type: "done", context_id: "a", time_to_first_audio_ms: 1, real_time_factor: 1, tokens: 1, audio_ms: 10, chunks: 1 });
    assert.deepEqual(errors.map((e) => e.code), ["protocol_error", "protocol_error"]);
    assert.deepEqual((await collect(a)).map((c) => [...c.data]), [[2]]);
  });

  it("fails every running context with connection_lost when the socket closes", async () => {
    const { socket, a, b } = await openScripted();
    socket.text(audio("a", 0, 1)); socket.binary([1]);
    socket.close(1006, "");
    const failed = (e: unknown) => e instanceof SawtError && e.code === "connection_lost" && e.contextEnded && e.retryable;
    await assert.rejects(collect(a), failed);
    await assert.rejects(b.completion, failed);
  });

  it("sends incremental text, flush, end and cancel for its context", async () => {
    const client = new SawtClient({ baseUrl: "http://sawt.test", WebSocket: ScriptedSocket as unknown as WebSocketConstructor });
    const opening = client.open({ contextId: "c", incremental: true, language: "en" });
    await new Promise((r) => setImmediate(r));
    const socket = ScriptedSocket.last!;
    socket.text({ type: "started", context_id: "c", session_id: "s" });
    const context = await opening;
    await context.sendFrom((async function* () { yield "Hel"; yield ""; yield "lo."; })());
    context.cancel();
    assert.deepEqual(socket.sent, [
      { type: "synthesize", context_id: "c", language: "en", incremental: true },
      { type: "text", context_id: "c", text: "Hel" },
      { type: "text", context_id: "c", text: "lo." },
      { type: "end", context_id: "c" },
      { type: "cancel", context_id: "c" },
    ]);
    assert.throws(() => context.send("more"), (e: unknown) => e instanceof SawtError && e.code === "invalid_request");
  });
});
