import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { SawtClient, SawtError, type AudioChunk, type ContextOptions, type SawtContext, type WebSocketConstructor } from "../src/index.js";
import { EmbeddedCluster, referenceWav } from "./cluster.js";

/** Against the real embedded cluster (a child process, synthetic bundle, CPU): contexts, text, cancel, errors. */
describe("SawtClient against the embedded cluster", { timeout: 300_000 }, () => {
  let cluster: EmbeddedCluster;
  let sockets = 0;
  // Counts the sockets the client opens, so "several contexts on one socket" is checked, not assumed.
  const CountingWebSocket = class extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      sockets++;
    }
  } as unknown as WebSocketConstructor;
  const errors: SawtError[] = [];
  let client: SawtClient;

  before(async () => {
    cluster = await EmbeddedCluster.start();
    client = new SawtClient({ baseUrl: cluster.baseUrl, WebSocket: CountingWebSocket, onError: (e) => errors.push(e) });
  }, { timeout: 150_000 });

  after(async () => {
    client?.close();
    await cluster?.stop();
  });

  async function collect(context: SawtContext): Promise<AudioChunk[]> {
    const chunks: AudioChunk[] = [];
    for await (const chunk of context) {
      chunks.push(chunk);
    }

    return chunks;
  }

  it("speaks incremental text sent piece by piece, chunks in sequence, then done with its figures", { timeout: 60_000 }, async () => {
    const context = await client.open({ incremental: true, language: "en", sampling: { temperature: 0 } });
    const text = ["Hello there, ", "this text arrives ", "in pieces. ", "And it ends here."];
    for (const piece of text) {
      context.send(piece);
    }

    context.end();
    const chunks = await collect(context);
    const outcome = await context.completion;

    assert.equal(outcome.kind, "done");
    assert.ok(chunks.length >= 2, `chunks ${chunks.length}`);
    assert.deepEqual(chunks.map((c) => c.sequence), chunks.map((_, i) => i));
    assert.equal(context.summary?.chunks, chunks.length);
    assert.equal(context.summary?.stopReason, "end_of_speech");
    assert.ok(chunks.every((c) => c.encoding === "pcm_f32le" && c.sampleRate === 24000 && c.data.length % 4 === 0
      && Math.abs(c.data.length / 4 / 24 - c.durationMs) < 1), "each chunk's bytes are its duration of float32 samples at 24 kHz");
    assert.ok(chunks.at(-1)?.isFinal);
    const joined = text.join("");
    assert.ok(Math.max(...chunks.map((c) => c.textStart + c.textLength)) <= joined.length);
    assert.ok(context.firstAudioMs !== undefined && context.firstAudioMs >= 0);
  });

  it("speaks an async text source (an LLM's streamed reply) as it comes", { timeout: 60_000 }, async () => {
    async function* llm(): AsyncGenerator<string> {
      for (const token of ["The ", "answer ", "is ", "forty ", "two."]) {
        await new Promise((r) => setImmediate(r));
        yield token;
      }
    }

    const context = await client.speak(llm(), { language: "en" });
    const chunks = await collect(context);
    assert.equal((await context.completion).kind, "done");
    assert.ok(chunks.length >= 1);
    assert.ok(chunks.some((c) => c.data.length > 0));
  });

  it("runs several contexts at once on one socket, each getting only its own chunks in order", { timeout: 90_000 }, async () => {
    await client.connect();
    const before = sockets;
    const texts = ["First voice speaks now.", "Second one, a bit longer than that.", "Third."];
    const contexts = await Promise.all(texts.map((text, i) => client.open({ text, language: "en", contextId: `multi-${i}` })));
    const results = await Promise.all(contexts.map(collect));

    assert.equal(sockets, before, "no new socket for the extra contexts");
    results.forEach((chunks, i) => {
      assert.ok(chunks.length >= 1, `context ${i} got audio`);
      assert.ok(chunks.every((c) => c.contextId === `multi-${i}`));
      assert.deepEqual(chunks.map((c) => c.sequence), chunks.map((_, n) => n));
      assert.equal(contexts[i]!.summary?.chunks, chunks.length);
    });
  });

  it("cancels a running context: the iteration ends with cancelled", { timeout: 60_000 }, async () => {
    // Incremental and never ended, so the context cannot finish on its own before the cancel lands.
    const context = await client.open({ incremental: true, language: "en" });
    context.send("This sentence is spoken, then the context is cancelled.", { flush: true });
    const chunks: AudioChunk[] = [];
    for await (const chunk of context) {
      chunks.push(chunk);
      if (chunks.length === 1) {
        context.cancel();
      }
    }

    assert.deepEqual(await context.completion, { kind: "cancelled" });
    assert.equal(context.summary, undefined);
    assert.ok(context.isEnded);
    assert.ok(chunks.length >= 1);
    assert.throws(() => context.send("more"), (e: unknown) => e instanceof SawtError && e.code === "unknown_context");
  });

  it("surfaces the server's refusals as typed errors with their codes", { timeout: 60_000 }, async () => {
    // A refusal may come before `started` (open rejects) or after it (the context fails): either way a typed error.
    const failure = (options: ContextOptions) => client.open(options).then((c) => c.completion);
    await assert.rejects(failure({ text: "Hello.", voice: "no_such_voice", language: "en" }),
      (e: unknown) => e instanceof SawtError && e.code === "unknown_voice" && e.contextEnded && !e.retryable);
    await assert.rejects(failure({ text: "Hello.", language: "en", sampling: { temperature: -1 } }),
      (e: unknown) => e instanceof SawtError && e.code === "invalid_options" && e.contextEnded);
    await assert.rejects(failure({ text: "", language: "en" }),
      (e: unknown) => e instanceof SawtError && e.contextEnded);
    await assert.rejects(failure({ text: "Hello.", language: "xx" }),
      (e: unknown) => e instanceof SawtError && e.code === "unsupported_language");
    await assert.rejects(failure({ text: "Hello.", language: "en", outputFormat: { encoding: "pcm_s16le", sampleRate: 12345 } }),
      (e: unknown) => e instanceof SawtError && e.code === "invalid_options");

    // A refused text message ends nothing: it is a warning of the context, which goes on.
    const context = await client.open({ incremental: true, language: "en" });
    context.send("x".repeat(5001));
    context.send("Still speaking.");
    context.end();
    await collect(context);
    assert.equal((await context.completion).kind, "done");
    assert.deepEqual(context.warnings.map((w) => w.code), ["text_too_long"]);
    assert.ok(errors.some((e) => e.code === "text_too_long" && e.contextId === context.id && !e.contextEnded));
  });

  it("HTTP: synthesizes, streams, and manages voices; failures are typed errors with status", { timeout: 90_000 }, async () => {
    const whole = await client.http.synthesize("Hello there.", { language: "en", outputFormat: { encoding: "pcm_s16le" } });
    assert.equal(new TextDecoder().decode(whole.data.subarray(0, 4)), "RIFF");
    assert.equal(whole.encoding, "pcm_s16le");
    assert.equal(whole.sampleRate, 24000);

    let streamed = 0;
    for await (const piece of client.http.stream("Hello there.", { language: "en" })) {
      streamed += piece.length;
    }

    assert.ok(streamed > 0 && streamed % 4 === 0, `float32 bytes ${streamed}`);

    const voice = await client.http.createVoice(referenceWav());
    assert.match(voice.voiceId, /^v_[0-9a-f]{20}$/);
    assert.equal(voice.durationSeconds, 2);
    const listed = [];
    for await (const v of client.http.allVoices()) {
      listed.push(v.voiceId);
    }

    assert.equal(listed[0], "default");
    assert.ok(listed.includes(voice.voiceId));
    const context = await client.open({ text: "With my own voice.", language: "en", voice: voice.voiceId });
    await collect(context);
    assert.equal((await context.completion).kind, "done");
    await client.http.deleteVoice(voice.voiceId);
    await assert.rejects(client.http.getVoice(voice.voiceId), (e: unknown) => e instanceof SawtError && e.code === "unknown_voice" && e.status === 404);
    await assert.rejects(client.http.createVoice(new Uint8Array([1, 2, 3])), (e: unknown) => e instanceof SawtError && e.code === "unreadable_audio" && e.status === 400);
    await assert.rejects(client.http.synthesize("Hi.", { language: "en", voice: "nobody" }), (e: unknown) => e instanceof SawtError && e.code === "unknown_voice");
    await assert.rejects(client.http.deleteVoice("default"), (e: unknown) => e instanceof SawtError && e.code === "invalid_request" && e.status === 400);
  });
});
