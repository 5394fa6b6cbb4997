import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** clients/js, from build-test/test/. */
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const repoRoot = resolve(packageRoot, "..", "..");

/**
 * The embedded default cluster (src/Silo: one silo, a CPU worker, the gateway) as a child process on free loopback
 * ports, as a user runs it. SAWT_SILO_DLL names the built silo (default src/Silo/bin/Debug/net10.0/Sawt.Silo.dll),
 * SAWT_BUNDLE a synthetic bundle folder (default: the silo generates its own). Restartable on the same ports.
 */
export class EmbeddedCluster {
  readonly baseUrl: string;
  private readonly args: string[];
  private child: ChildProcess | undefined;
  private output = "";

  private constructor(port: number, args: string[]) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.args = args;
  }

  static async start(extraArgs: string[] = []): Promise<EmbeddedCluster> {
    const port = await freePort();
    const bundle = process.env.SAWT_BUNDLE;
    const cluster = new EmbeddedCluster(port, [
      "--urls", `http://127.0.0.1:${port}`,
      "--Sawt:Cluster:SiloPort", String(await freePort()),
      "--Sawt:Cluster:GatewayPort", String(await freePort()),
      "--Sawt:Workers:Devices:0", "cpu",
      "--Sawt:Workers:IntraOpThreads", "1",
      "--Logging:LogLevel:Default", "Warning",
      ...(bundle ? ["--Sawt:Workers:BundlePath", bundle] : []),
      ...extraArgs,
    ]);
    await cluster.run();
    return cluster;
  }

  /** Starts the process (again) and waits for /readyz. */
  async run(): Promise<void> {
    const dll = process.env.SAWT_SILO_DLL ?? resolve(repoRoot, "src/Silo/bin/Debug/net10.0/Sawt.Silo.dll");
    if (!existsSync(dll)) {
      throw new Error(`${dll} is missing: build the solution first (dotnet build Cluster.sln).`);
    }

    this.output = "";
    const child = spawn("dotnet", [dll, ...this.args], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (d: Buffer) => { this.output += d.toString(); });
    child.stderr?.on("data", (d: Buffer) => { this.output += d.toString(); });
    this.child = child;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`the silo exited with ${child.exitCode}:\n${this.output}`);
      }

      try {
        const response = await fetch(`${this.baseUrl}/readyz`);
        if (response.status === 200) {
          return;
        }

        await response.body?.cancel();
      } catch {
        // Not listening yet.
      }

      await new Promise((r) => setTimeout(r, 200));
    }

    await this.stop();
    throw new Error(`the silo was not ready within 120 s:\n${this.output}`);
  }

  /** Stops the process: SIGTERM, then SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }

    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A tiny valid reference clip: 2 s of a 220 Hz tone, 16-bit mono 24 kHz WAV. */
export function referenceWav(seconds = 2, rate = 24000): Uint8Array {
  const samples = seconds * rate;
  const buffer = new ArrayBuffer(44 + samples * 2);
  const view = new DataView(buffer);
  const text = (offset: number, s: string) => { for (let i = 0; i < s.length; i++) { view.setUint8(offset + i, s.charCodeAt(i)); } };
  text(0, "RIFF"); view.setUint32(4, 36 + samples * 2, true); text(8, "WAVE");
  text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
  text(36, "data"); view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) {
    view.setInt16(44 + i * 2, Math.round(12000 * Math.sin(2 * Math.PI * 220 * i / rate)), true);
  }

  return new Uint8Array(buffer);
}
