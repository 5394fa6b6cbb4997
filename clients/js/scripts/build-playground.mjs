// Bundles playground/playground.ts (and the client it imports) into the gateway's demo page script,
// src/Gateway/Demo/playground.js, which is committed and embedded in the gateway assembly: the .NET build then needs
// no Node. `--check` builds in memory and fails if the committed file differs (the JS tests run it).
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const bundlePath = resolve(root, "../../src/Gateway/Demo/playground.js");

export async function bundle() {
  const result = await build({
    entryPoints: [resolve(root, "playground/playground.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    legalComments: "none",
    banner: { js: "// Generated from clients/js/playground by `npm run build:playground` (esbuild); do not edit." },
    logLevel: "silent",
    // Paths in the bundle's comments are relative to this package, whoever runs the build from where.
    absWorkingDir: root,
  });
  return result.outputFiles[0].text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await bundle();
  if (process.argv.includes("--check")) {
    if (readFileSync(bundlePath, "utf8") !== text) {
      console.error(`${bundlePath} is stale: run npm run build:playground in clients/js and commit it.`);
      process.exit(1);
    }
  } else {
    writeFileSync(bundlePath, text);
    console.error(`wrote ${bundlePath} (${text.length} bytes)`);
  }
}
