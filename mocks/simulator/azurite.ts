import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { stopChild, tail } from "../../src/process/child-process.js";

/** Azurite's development account: the well-known name and key every Azure SDK knows for the emulator. */
export const devAccount = {
  name: "devstoreaccount1",
  key: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
} as const;

export interface AzuriteBlobService {
  /** The development account's blob endpoint: `http://127.0.0.1:<port>/devstoreaccount1`. */
  readonly blobEndpoint: string;
  readonly pid: number | undefined;
  /** Resolves, with how, if the emulator exits without `stop()` (killed, crashed); never otherwise. */
  readonly crashed: Promise<string>;
  stop(): Promise<void>;
}

export class AzuriteStartError extends Error {
  override name = "AzuriteStartError";
}

const azuriteBlobMain = () => {
  const manifest = createRequire(import.meta.url).resolve("azurite/package.json");
  const bin = (createRequire(import.meta.url)("azurite/package.json") as { bin: Record<string, string> }).bin[
    "azurite-blob"
  ];
  return join(dirname(manifest), bin ?? "dist/src/blob/main.js");
};

/**
 * Starts Azurite's blob service, Microsoft's open-source Azure Storage emulator, as a child
 * process: in memory, telemetry off, on `host` and `port` (0: any free port, read back from what
 * it prints). The child does not keep this process alive, and is killed when this process exits,
 * so a simulator that is never closed leaves no emulator behind.
 */
export async function startAzuriteBlob(
  options: { host?: string; port?: number; timeoutMs?: number } = {},
): Promise<AzuriteBlobService> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      azuriteBlobMain(),
      "--blobHost",
      host,
      "--blobPort",
      String(port),
      "--inMemoryPersistence",
      "--disableTelemetry",
      "--skipApiVersionCheck",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const printed = tail();
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.stderr?.on("data", printed.push);

  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new AzuriteStartError(`Azurite did not start within ${options.timeoutMs ?? 20_000} ms: ${printed.text()}`),
          ),
        options.timeoutMs ?? 20_000,
      );
      child.stdout?.on("data", (chunk: Buffer) => {
        printed.push(chunk);
        const listening = /successfully listens on (http:\/\/\S+)/.exec(String(chunk));
        if (listening?.[1]) {
          clearTimeout(timer);
          resolve(listening[1]);
        }
      });
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(new AzuriteStartError(`Azurite could not be started: ${error.message}`));
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        const text = printed.text();
        reject(
          new AzuriteStartError(
            /EADDRINUSE/.test(text)
              ? `Azurite could not listen on ${host}:${port}: the port is already in use`
              : `Azurite exited (${code ?? signal}) before it listened: ${text}`,
          ),
        );
      });
    });
  } catch (error) {
    process.removeListener("exit", killOnExit);
    await stopChild(child);
    throw error;
  }
  // From here the emulator serves in the background: it must not hold this process open.
  child.removeAllListeners("exit");
  let stopping = false;
  const crashed = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => {
      process.removeListener("exit", killOnExit);
      if (!stopping) resolve(`exited unexpectedly (${signal ?? `code ${code}`})`);
    });
  });
  child.unref();
  (child.stdout as Readable & { unref?: () => void }).unref?.();
  (child.stderr as Readable & { unref?: () => void }).unref?.();
  return {
    blobEndpoint: `${url.replace(/\/$/, "")}/${devAccount.name}`,
    pid: child.pid,
    crashed,
    async stop() {
      stopping = true;
      process.removeListener("exit", killOnExit);
      await stopChild(child);
    },
  };
}
