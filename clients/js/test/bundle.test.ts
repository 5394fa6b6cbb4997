import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { it } from "node:test";
import { fileURLToPath } from "node:url";

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

it("the committed playground bundle is what the playground and client sources build to", { timeout: 60_000 }, () => {
  const result = spawnSync(process.execPath, ["scripts/build-playground.mjs", "--check"], { cwd: packageRoot, encoding: "utf8", timeout: 50_000 });
  assert.equal(result.status, 0, result.stderr);
});
