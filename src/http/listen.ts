import { once } from "node:events";
import { createServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type LocalCertificate, localCertificate } from "./local-certificate.js";

/** The port is taken: a plain message instead of a stack or someone's help text. */
export class PortInUseError extends Error {
  constructor(host: string, port: number) {
    super(`port ${port} on ${host} is already in use; choose another with --port, or 0 for any free port`);
    this.name = "PortInUseError";
  }
}

/** Listens and resolves once listening; a taken port is a PortInUseError. */
export async function listen(server: Server, host: string, port: number): Promise<void> {
  server.listen(port, host);
  try {
    await once(server, "listening");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new PortInUseError(host, port);
    throw error;
  }
}

/** `http://host:port` (or https), with brackets around an IPv6 host. */
export function serverUrl(host: string, port: number, scheme: "http" | "https" = "http"): string {
  return `${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * Serve over TLS: `true` with a certificate authority made for this server alone, or a directory
 * that keeps the CA across runs (see local-certificate.ts).
 */
export type HttpsOption = boolean | { certificateDirectory?: string };

export interface LocalServer {
  server: Server;
  scheme: "http" | "https";
  /** Set when serving over TLS: what a client trusts, and its removal at close. */
  certificate?: LocalCertificate;
}

/** A node:http server, or a node:https one with a certificate for `host` and loopback. */
export async function createLocalServer(
  handler: RequestListener,
  options: { host: string; https?: HttpsOption },
): Promise<LocalServer> {
  if (!options.https) return { server: createServer(handler), scheme: "http" };
  const certificate = await localCertificate({
    hosts: [options.host],
    ...(typeof options.https === "object" && options.https.certificateDirectory !== undefined
      ? { directory: options.https.certificateDirectory }
      : {}),
  });
  return {
    server: createHttpsServer({ key: certificate.key, cert: certificate.cert }, handler),
    scheme: "https",
    certificate,
  };
}
