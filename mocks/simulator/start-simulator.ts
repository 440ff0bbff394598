import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { listen, serverUrl } from "../../src/http/listen.js";
import type { SimulatorClock } from "./clock.js";
import { createSimulator, type Simulator, type SimulatorOptions } from "./create-simulator.js";

export interface StartSimulatorOptions extends SimulatorOptions {
  /** Port to listen on; 0 (the default) lets the OS choose a free one. */
  port?: number;
  /** Interface to bind; loopback by default. */
  host?: string;
}

export interface RunningSimulator {
  url: string;
  clock: SimulatorClock;
  simulator: Simulator;
  close(): Promise<void>;
}

/** Serves a simulator over node:http and resolves once it listens. */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? "127.0.0.1";
  const simulator = createSimulator(options);
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const server = createServer((req, res) => {
    readBody(req, maxBodyBytes + 1).then(
      async (body) => {
        const response = await simulator.respond({
          method: req.method ?? "GET",
          url: new URL(req.url ?? "/", `http://${req.headers.host ?? `${host}:${port(server)}`}`),
          header: (name) => {
            const value = req.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
          },
          body,
        });
        // A known length lets node send headers and body in one write instead of chunked encoding.
        res.writeHead(response.status, {
          ...response.headers,
          "content-length": Buffer.byteLength(response.body ?? ""),
        });
        res.end(response.body);
      },
      () => res.destroy(),
    );
  });
  // Keep-alive clients (load tests, SDKs) must not hold close() open.
  server.keepAliveTimeout = 5000;
  await listen(server, host, options.port ?? 0);
  return {
    url: serverUrl(host, port(server)),
    clock: simulator.clock,
    simulator,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function port(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/** The body, keeping at most `keep` bytes (the core answers 413 past its limit); the rest is drained. */
function readBody(req: IncomingMessage, keep: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    req.on("data", (chunk: Buffer) => {
      if (kept >= keep) return;
      const part = kept + chunk.length > keep ? chunk.subarray(0, keep - kept) : chunk;
      chunks.push(part);
      kept += part.length;
    });
    req.on("end", () => resolve(kept === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
