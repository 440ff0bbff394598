import type { HttpsOption } from "../http/listen.js";
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
} as const;

/** The `--https` and `--https-dir` lines of a server command's help. */
export const httpsUsage = `  --https                  Serve HTTPS with a certificate made at start; prints the CA certificate's path
  --https-dir DIR          Keep that CA in DIR and reuse it, so NODE_EXTRA_CA_CERTS=DIR/ca.pem can be
                           set before the server starts (implies --https)`;

export function parseHttps(values: { https?: boolean; "https-dir"?: string }): HttpsOption | undefined {
  const directory = values["https-dir"];
  if (directory !== undefined) {
    if (directory.trim() === "") throw new UsageError("--https-dir needs a directory");
    return { certificateDirectory: directory };
  }
  return values.https ? true : undefined;
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
    throw new UsageError(`--level must be ${conformanceLevels.join(" or ")}, got '${value}'`);
  return value as ConformanceLevel;
}
