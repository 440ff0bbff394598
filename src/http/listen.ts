import { once } from "node:events";
import type { RequestListener, Server, ServerOptions, ServerResponse } from "node:http";
import { isIP, type Socket } from "node:net";
import { responseIds } from "../graph/graph-error-catalogue.js";
import { errorResponse, type GraphResponse, withResponseIds } from "../graph/graph-responses.js";
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

/** Whether a host to bind is this machine's loopback only: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (bare === "localhost" || bare === "::1") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1).
  return /^::ffff:127\./.test(bare);
}

/**
 * Serve over TLS: `true` with a certificate authority made for this server alone, or a directory
 * that keeps the CA across runs (see local-certificate.ts).
 */
export type HttpsOption = boolean | { certificateDirectory?: string };

/**
 * How long a server waits for a client (decisions.md#request-timeout): a client that has not sent
 * a request's headers, or its body, within these is answered 408 and its connection closed, so a
 * slow or stalled client never holds a socket for ever.
 */
export interface ClientTimeouts {
  /** From a connection (or the end of the previous request on it) to the end of a request's headers. */
  headersTimeoutMs: number;
  /** From a request's headers to the last byte of its body. */
  bodyTimeoutMs: number;
}

export const defaultClientTimeouts: ClientTimeouts = { headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 };

export interface LocalServer {
  server: Server;
  scheme: "http" | "https";
  /** Set when serving over TLS: what a client trusts, and its removal at close. */
  certificate?: LocalCertificate;
  /**
   * Stops accepting connections, lets the requests in flight finish (each answered with
   * `Connection: close`) for at most `drainMs` or until `abort` fires, then ends every connection left.
   */
  stop(drainMs?: number, abort?: AbortSignal): Promise<void>;
}

/** A node:http server, or a node:https one with a certificate for `host` and loopback. */
export async function createLocalServer(
  handler: RequestListener,
  options: { host: string; https?: HttpsOption; timeouts?: Partial<ClientTimeouts> },
): Promise<LocalServer> {
  const timeouts = { ...defaultClientTimeouts, ...options.timeouts };
  const serverOptions: ServerOptions = {
    headersTimeout: timeouts.headersTimeoutMs,
    // A backstop only: a request's body is timed by its reader (node-http.ts), which answers first.
    requestTimeout: timeouts.headersTimeoutMs + timeouts.bodyTimeoutMs + 5000,
    // How often node looks for timed-out connections: often enough for a lowered timeout to hold.
    connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(timeouts.headersTimeoutMs / 4))),
  };
  const drain = drainTracker();
  const tracked: RequestListener = (req, res) => {
    drain.track(res);
    handler(req, res);
  };
  // node:http (which loads Node's fetch with it) and node:https load when a server is made, not
  // when the kit is imported: most who import the kit start no server in that process.
  const http = await import("node:http");
  let local: Omit<LocalServer, "stop">;
  if (!options.https) {
    local = { server: http.createServer(serverOptions, tracked), scheme: "http" };
  } else {
    const certificate = await localCertificate({
      hosts: [options.host],
      ...(typeof options.https === "object" && options.https.certificateDirectory !== undefined
        ? { directory: options.https.certificateDirectory }
        : {}),
    });
    local = {
      server: (await import("node:https")).createServer(
        { ...serverOptions, key: certificate.key, cert: certificate.cert },
        tracked,
      ),
      scheme: "https",
      certificate,
    };
  }
  local.server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) =>
    answerClientError(error, socket, timeouts, http.STATUS_CODES),
  );
  return { ...local, stop: (drainMs = 0, abort?: AbortSignal) => drain.stop(local.server, drainMs, abort) };
}

/** The responses in flight, so that a stop can wait for them. */
function drainTracker() {
  const active = new Set<ServerResponse>();
  let draining: Server | undefined;
  let drained: (() => void) | undefined;
  return {
    track(res: ServerResponse) {
      active.add(res);
      // A request that arrives on a kept-alive connection while draining is the last on it.
      if (draining) res.setHeader("connection", "close");
      res.once("close", () => {
        active.delete(res);
        if (!draining) return;
        draining.closeIdleConnections();
        if (active.size === 0) drained?.();
      });
    },
    async stop(server: Server, drainMs: number, abort?: AbortSignal) {
      draining = server;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const res of active) if (!res.headersSent) res.setHeader("connection", "close");
      server.closeIdleConnections();
      if (active.size > 0 && drainMs > 0 && !abort?.aborted) {
        let timer: NodeJS.Timeout | undefined;
        let cutShort: (() => void) | undefined;
        await new Promise<void>((resolve) => {
          drained = resolve;
          timer = setTimeout(resolve, drainMs);
          cutShort = resolve;
          abort?.addEventListener("abort", cutShort, { once: true });
        });
        clearTimeout(timer);
        if (cutShort) abort?.removeEventListener("abort", cutShort);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * What node reports before a request reaches the handler: headers that did not arrive in time are
 * a Graph 408, headers node cannot parse a Graph 400; a client that has gone gets nothing. The
 * connection is closed either way (node leaves that to whoever listens for `clientError`).
 */
function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  timeouts: ClientTimeouts,
  statusTexts: Record<number, string | undefined>,
): void {
  let response: GraphResponse | undefined;
  const ids = responseIds(null, new Date());
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
    response = errorResponse(
      "requestTimeout",
      `The request did not arrive in time: the server waits ${timeouts.headersTimeoutMs} ms for a request's headers and ${timeouts.bodyTimeoutMs} ms for its body.`,
      ids,
    );
  } else if (error.code?.startsWith("HPE_") && error.code !== "HPE_INVALID_EOF_STATE") {
    response = errorResponse("invalidRequest", `The request is not valid HTTP/1.1 (${error.code}).`, ids);
  }
  if (!response || !socket.writable) {
    socket.destroy();
    return;
  }
  withResponseIds(response, ids);
  // An answer to HEAD has no body, even one node could not parse; its first bytes say which it was.
  const rawPacket = (error as { rawPacket?: Buffer }).rawPacket;
  const headRequest = rawPacket?.subarray(0, 5).toString("latin1") === "HEAD ";
  const body = response.body ?? "";
  const head = [
    `HTTP/1.1 ${response.status} ${statusTexts[response.status] ?? ""}`,
    ...Object.entries({
      ...response.headers,
      "content-length": String(Buffer.byteLength(body)),
      connection: "close",
    }).map(([name, value]) => `${name}: ${value}`),
  ];
  // Destroyed once written, or a moment later from a client that does not read.
  setTimeout(() => socket.destroy(), 1000).unref();
  socket.end(`${head.join("\r\n")}\r\n\r\n${headRequest ? "" : body}`, () => socket.destroy());
}
