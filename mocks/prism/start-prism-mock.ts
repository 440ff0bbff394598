import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { type AddressInfo, connect } from "node:net";
import { join } from "node:path";
import {
  type ClientTimeouts,
  createLocalServer,
  defaultClientTimeouts,
  type HttpsOption,
  listen,
  PortInUseError,
  serverUrl,
} from "../../src/http/listen.js";
import { packageRoot } from "../../src/package-root.js";
import { requirePart } from "../../src/parts/optional-parts.js";
import { exited, findFreePort, stopChild, tail, waitForHttp } from "../../src/process/child-process.js";
import { specValidators } from "../../src/validation/spec-validators.js";
import { createGraphFacade } from "./graph-facade.js";

export interface PrismMockOptions {
  /** Port for the mock; 0 (the default) lets the OS choose a free one. */
  port?: number;
  /** Interface to bind; the mock is a development tool and stays on loopback by default. */
  host?: string;
  /** Generate responses from the schemas instead of serving the spec's examples. */
  dynamic?: boolean;
  /** Seed for dynamic mode: the same seed gives the same responses. */
  seed?: string | number;
  /** How long to wait for Prism to answer before giving up. */
  startTimeoutMs?: number;
  /**
   * Serve HTTPS (the façade; Prism stays on private loopback HTTP) with a certificate made at start,
   * signed by a CA whose certificate is at `caCertificatePath`, for `NODE_EXTRA_CA_CERTS`.
   */
  https?: HttpsOption;
  /**
   * How long to wait for a request's headers (default 30 s) and for its body after them (default
   * 30 s); a client slower than that is answered 408 `requestTimeout` and its connection closed.
   */
  timeouts?: Partial<ClientTimeouts>;
  /**
   * Where the kit's own pages are served, as on the simulator (default `/_sds`): the documentation
   * site at `/_sds/docs/`. `false` leaves them out; the path is then unknown, like any other.
   */
  admin?: string | false;
}

export { PortInUseError } from "../../src/http/listen.js";

export interface PrismMock {
  url: string;
  /** With `https`: the CA certificate's path, for `NODE_EXTRA_CA_CERTS`. */
  caCertificatePath?: string;
  /** Prism's own PID (the process `close()` stops). */
  prismPid: number;
  /** Resolves if Prism exits on its own, with why. */
  exited: Promise<string>;
  /**
   * Stops the façade and Prism. With `drainMs`, the façade first stops accepting connections and
   * lets the requests in flight finish (Prism still answering them), for at most that long (or
   * until `abort` fires).
   */
  close(options?: { drainMs?: number; abort?: AbortSignal }): Promise<void>;
}

const prismSpec = join(packageRoot, "generated", "prism-openapi.json");

/**
 * Starts Prism on the spec behind the kit's Graph façade and resolves once it answers.
 * Prism runs as its own process (its PID is `prismPid`) on a private loopback port; the façade
 * listens on `port` and makes Prism's answers look like Graph's (see graph-facade.ts).
 */
export async function startPrismMock(options: PrismMockOptions = {}): Promise<PrismMock> {
  // Prism is an optional part: found when asked for, so importing the kit never looks for it.
  requirePart("prism");
  const prismCli = createRequire(import.meta.url).resolve("@stoplight/prism-cli/dist/index.js");
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  // A taken port is reported before Prism is spawned; the real listen below still checks it.
  if (port !== 0) await ensurePortFree(host, port);

  const prismPort = await findFreePort("127.0.0.1");
  const args = [prismCli, "mock", prismSpec, "--host", "127.0.0.1", "--port", String(prismPort)];
  // Prism's per-request info logging halves its throughput; fatal errors still show.
  args.push("--verboseLevel", "fatal", "--errors", "false", "--cors", "false");
  // Random extra properties would break additionalProperties: false in the schemas.
  args.push("--json-schema-faker-fillProperties=false");
  if (options.dynamic) args.push("--dynamic");
  if (options.seed !== undefined) args.push("--seed", String(options.seed));
  const prism = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const output = tail();
  prism.stdout?.on("data", output.push);
  prism.stderr?.on("data", output.push);
  const upstream = new URL(`http://127.0.0.1:${prismPort}`);
  const timeouts = { ...defaultClientTimeouts, ...options.timeouts };
  const admin = options.admin === false ? undefined : (options.admin ?? "/_sds");
  const facade = createGraphFacade({
    upstream,
    validators: specValidators(),
    bodyTimeoutMs: timeouts.bodyTimeoutMs,
    ...(admin === undefined ? {} : { adminPrefix: admin }),
  });
  // The port opens only once Prism answers and the façade is attached: a client that connects
  // as soon as it can is always answered.
  let local: Awaited<ReturnType<typeof createLocalServer>> | undefined;
  try {
    local = await createLocalServer(facade.handle, {
      host,
      timeouts,
      ...(options.https === undefined ? {} : { https: options.https }),
    });
    await waitForHttp(upstream.href, {
      timeoutMs: options.startTimeoutMs ?? 30_000,
      child: prism,
      describe: () => `Prism (${output.text() || "no output"})`,
    });
    await listen(local.server, host, port);
  } catch (error) {
    local?.certificate?.dispose();
    facade.close();
    await stopChild(prism);
    throw error;
  }
  const { server, scheme, certificate, stop } = local;
  const address = server.address() as AddressInfo;
  const prismExited = exited(prism).then(() => {
    const last = output.text().split("\n").at(-1);
    return `Prism (PID ${prism.pid}) exited on its own (${prism.exitCode ?? prism.signalCode}); the mock cannot answer without it${last ? `. Its last output: ${last}` : ""}`;
  });
  return {
    url: serverUrl(host, address.port, scheme),
    ...(certificate ? { caCertificatePath: certificate.caCertificatePath } : {}),
    prismPid: prism.pid ?? -1,
    exited: prismExited,
    close: async (closeOptions = {}) => {
      await stop(closeOptions.drainMs ?? 0, closeOptions.abort);
      facade.close();
      await stopChild(prism);
      certificate?.dispose();
    },
  };
}

/**
 * Fails with a PortInUseError when something already answers on the port. It connects rather than
 * binds: a probe that listened, even for a moment, could accept a client it would never answer.
 */
async function ensurePortFree(host: string, port: number): Promise<void> {
  const inUse = await new Promise<boolean>((resolve) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
  if (inUse) throw new PortInUseError(host, port);
}
