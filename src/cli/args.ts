import { type ClientTimeouts, defaultClientTimeouts, type HttpsOption, isLoopback } from "../http/listen.js";
import { requirePart } from "../parts/optional-parts.js";
import { type ConformanceLevel, conformanceLevels } from "../spec/provenance.js";

/** A mistake in how the command was called: reported as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Runs node:util parseArgs (or anything that parses arguments), turning its errors into one-line usage errors. */
export function withUsageErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/, "") || "invalid arguments");
  }
}

export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535, got '${value}'`);
  return port;
}

/** `-h`/`--help`, which every command takes. */
export const helpOption = { help: { type: "boolean", short: "h" } } as const;

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
    if (!/^\d+$/.test(value) || ms < 1 || ms > 3_600_000)
      throw new UsageError(`--${flag} must be a whole number of milliseconds from 1 to 3600000, got '${value}'`);
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

/** `--level`: how strictly to judge against the spec (decisions.md#conformance-levels). */
export function parseLevel(value: string | undefined): ConformanceLevel {
  if (value === undefined) return "kit";
  if (!(conformanceLevels as readonly string[]).includes(value))
    throw new UsageError(
      `--level must be ${conformanceLevels.slice(0, -1).join(", ")} or ${conformanceLevels.at(-1)}, got '${value}'`,
    );
  return value as ConformanceLevel;
}
