import { type ClientTimeouts, defaultClientTimeouts, type HttpsOption, isLoopback } from "../http/listen.js";
import { requirePart } from "../parts/optional-parts.js";
import { UsageError } from "./args.js";
import { drainMs, drainUnlessSignalledAgain, untilStopped } from "./signals.js";
import type { CliStreams } from "./streams.js";

/**
 * What the server commands (`mock`, `simulate`) share: where they listen unless told, their
 * listening options and the help lines for them, and the tail every server run ends with.
 */

/** Loopback: reaching a test server from elsewhere is a choice to make (`--host`), not a default. */
export const defaultHost = "127.0.0.1";
/** The Prism mock on Prism's own port, the simulator beside it. */
export const defaultPorts = { mock: 4010, simulate: 4011 } as const;
/** The highest port number there is. */
const maxPort = 65_535;
/** The longest a client timeout may be set to: an hour. */
const maxClientTimeoutMs = 3_600_000;

export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > maxPort)
    throw new UsageError(`--port must be a whole number from 0 to ${maxPort}, got '${value}'`);
  return port;
}

/** The `--port` and `--host` lines of a server command's help. */
export const listenUsage = (
  defaultPort: number,
) => `  --port N                 Port to listen on (default ${defaultPort}; 0 picks a free port)
  --host H                 Interface to bind (default ${defaultHost}; anything else prints a warning)`;

/** Where and how a server command listens. */
export const listenOptions = {
  port: { type: "string" },
  host: { type: "string" },
  https: { type: "boolean" },
  "https-dir": { type: "string" },
  "headers-timeout-ms": { type: "string" },
  "body-timeout-ms": { type: "string" },
} as const;

/** The timeout lines of a server command's help. */
export const timeoutUsage = `  --headers-timeout-ms N   How long a request's headers may take to arrive (default ${defaultClientTimeouts.headersTimeoutMs})
  --body-timeout-ms N      How long a request's body may take after its headers (default ${defaultClientTimeouts.bodyTimeoutMs});
                           a slower client is answered 408 requestTimeout and its connection closed`;

/** `--headers-timeout-ms` and `--body-timeout-ms`: whole milliseconds, at least 1. */
export function parseTimeouts(values: { "headers-timeout-ms"?: string; "body-timeout-ms"?: string }): ClientTimeouts {
  const read = (flag: "headers-timeout-ms" | "body-timeout-ms", fallback: number) => {
    const value = values[flag];
    if (value === undefined) return fallback;
    const ms = Number(value);
    if (!/^\d+$/.test(value) || ms < 1 || ms > maxClientTimeoutMs)
      throw new UsageError(
        `--${flag} must be a whole number of milliseconds from 1 to ${maxClientTimeoutMs}, got '${value}'`,
      );
    return ms;
  };
  return {
    headersTimeoutMs: read("headers-timeout-ms", defaultClientTimeouts.headersTimeoutMs),
    bodyTimeoutMs: read("body-timeout-ms", defaultClientTimeouts.bodyTimeoutMs),
  };
}

/**
 * The one line a server command prints on stderr when it binds beyond loopback: who can reach it,
 * and what they can do there.
 */
export function exposureWarning(command: string, host: string, what: string): string {
  return isLoopback(host)
    ? ""
    : `sds-kit ${command}: warning: listening on ${host}, not loopback: anyone who can reach this machine can call ${what}; serve it only on a network you trust\n`;
}

/** The `--https` and `--https-dir` lines of a server command's help. */
export const httpsUsage = `  --https                  Serve HTTPS with a certificate made at start; prints the CA certificate's path
  --https-dir DIR          Keep that CA in DIR and reuse it, so NODE_EXTRA_CA_CERTS=DIR/ca.pem can be
                           set before the server starts (implies --https)`;

/** `--https`/`--https-dir` as the server's option; asked for without selfsigned installed, a MissingPartError. */
export function parseHttps(values: { https?: boolean; "https-dir"?: string }): HttpsOption | undefined {
  const directory = values["https-dir"];
  if (directory !== undefined && directory.trim() === "") throw new UsageError("--https-dir needs a directory");
  const https = directory !== undefined ? { certificateDirectory: directory } : values.https ? true : undefined;
  // Before the server starts anything: the certificate is made once it is listening.
  if (https !== undefined) requirePart("https");
  return https;
}

/** What a server command prints when it serves HTTPS: the path a client must trust. */
export function trustLine(caCertificatePath: string | undefined): string {
  return caCertificatePath === undefined
    ? ""
    : `CA certificate: ${caCertificatePath} (trust it with NODE_EXTRA_CA_CERTS=${caCertificatePath})\n`;
}

/** A server a command started, as its common tail needs it. */
export interface RunningServer {
  /** `sds-kit <command>`, for the warning line. */
  command: "mock" | "simulate";
  host: string;
  /** What anyone can call when it binds beyond loopback, for the warning line. */
  exposes: string;
  caCertificatePath: string | undefined;
  /** The line scripts wait for: what listens, and where (`Simulator (seed 1, real clock, memory store) listening on …`). */
  listening: string;
  /** Stops it, letting the requests in flight finish unless `abort` fires. */
  close(options: { drainMs: number; abort: AbortSignal }): Promise<void>;
  /** Resolves with a reason when the server dies by itself (Prism exiting under the mock). */
  exited?: Promise<string>;
}

/**
 * The end of every server command: the warning for a non-loopback host, the CA to trust, the
 * listening line, then serving until a signal (or npx's exit) stops it, draining what is in flight.
 * Exit 0 when stopped, 1 when the server died by itself (said in one line).
 */
export async function serveUntilStopped(server: RunningServer, streams: CliStreams): Promise<number> {
  // Listening for the stop before saying it listens: a script that signals as soon as it reads the
  // line must find the signal handled, not the process killed by it.
  const stopped = untilStopped().then((why) => ({ stopped: why }));
  streams.stderr.write(exposureWarning(server.command, server.host, server.exposes));
  // Before the listening line, which scripts wait for: by then they know what to trust.
  streams.stdout.write(trustLine(server.caCertificatePath));
  streams.stdout.write(`${server.listening}\n`);
  const outcome = await Promise.race([
    stopped,
    ...(server.exited ? [server.exited.then((reason) => ({ died: reason }))] : []),
  ]);
  if ("died" in outcome) {
    await server.close({ drainMs: 0, abort: AbortSignal.abort() });
    streams.stderr.write(`sds-kit ${server.command}: ${outcome.died.split("\n")[0]}\n`);
    return 1;
  }
  await drainUnlessSignalledAgain((abort) => server.close({ drainMs, abort }));
  streams.stdout.write(`stopped (${outcome.stopped})\n`);
  return 0;
}
