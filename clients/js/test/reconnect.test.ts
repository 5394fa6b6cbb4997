import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SawtClient, SawtError, type SawtContext } from "../src/index.js";
import { EmbeddedCluster } from "./cluster.js";

const ApiKey = "js-client-test-key-0123456789abcdef";

/** A cluster with an API key, stopped and started again under a connected client. */
describe("SawtClient reconnect and keys", { timeout: 300_000 }, () => {
  let cluster: EmbeddedCluster;

  before(async () => {
    cluster = await EmbeddedCluster.start(["--Sawt:Auth:Keys:0:Key", ApiKey, "--Sawt:Auth:Keys:0:Tenant", "js"]);
  }, { timeout: 150_000 });

  after(async () => {
    await cluster?.stop();
  });

  async function drain(context: SawtContext): Promise<number> {
    let chunks = 0;
    for await (const _ of context) {
      chunks++;
    }

    return chunks;
  }

  /** A socket may open before the workers are ready; the cluster says `unavailable` (retryable) until then. */
  async function openWhenServing(client: SawtClient): Promise<SawtContext> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await client.open({ text: "After the restart.", language: "en" });
      } catch (error) {
        if (!(error instanceof SawtError) || !error.retryable || attempt >= 100) {
          throw error;
        }

        await new Promise((r) => setTimeout(r, error.retryAfterMs ?? 200));
      }
    }
  }

  it("refuses a wrong key with a typed unauthorized error, over WebSocket and HTTP, without retrying", { timeout: 30_000 }, async () => {
    const client = new SawtClient({ baseUrl: cluster.baseUrl, apiKey: "wrong-key-0123456789abcdef", reconnect: { maxAttempts: 50, initialDelayMs: 1000 } });
    try {
      const started = Date.now();
      await assert.rejects(client.connect(), (e: unknown) => e instanceof SawtError && e.code === "unauthorized" && e.status === 401 && !e.retryable);
      assert.ok(Date.now() - started < 1000, "a refused key is not retried");
      await assert.rejects(client.http.listVoices(), (e: unknown) => e instanceof SawtError && e.code === "unauthorized");
    } finally {
      client.close();
    }
  });

  it("fails running contexts with connection_lost when the server stops, and reconnects with backoff once it is back", { timeout: 200_000 }, async () => {
    const disconnects: number[] = [];
    const client = new SawtClient({
      baseUrl: cluster.baseUrl,
      apiKey: ApiKey,
      reconnect: { maxAttempts: 200, initialDelayMs: 50, maxDelayMs: 500 },
      onDisconnect: (code) => disconnects.push(code),
    });
    try {
      const first = await client.open({ text: "Before the restart.", language: "en" });
      await drain(first);
      assert.equal((await first.completion).kind, "done");

      // An incremental context that is still waiting for text when the server goes away.
      const waiting = await client.open({ incremental: true, language: "en" });
      await cluster.stop();
      await assert.rejects(waiting.completion, (e: unknown) => e instanceof SawtError && e.code === "connection_lost" && e.retryable && e.contextEnded);
      assert.equal(client.connected, false);
      assert.equal(disconnects.length, 1);

      // Opening now retries while the server is down and succeeds once it is up again on the same address.
      const restarting = cluster.run();
      const opening = openWhenServing(client);
      await restarting;
      const second = await opening;
      assert.ok((await drain(second)) >= 1);
      assert.equal((await second.completion).kind, "done");
      assert.equal(client.connected, true);
    } finally {
      client.close();
    }
  });

  it("gives up with a retryable connection_failed after its attempts when nothing listens", { timeout: 30_000 }, async () => {
    const client = new SawtClient({ baseUrl: "http://127.0.0.1:9", reconnect: { maxAttempts: 3, initialDelayMs: 10 } });
    await assert.rejects(client.connect(), (e: unknown) => e instanceof SawtError && e.code === "connection_failed" && e.retryable);
    client.close();
  });
});
