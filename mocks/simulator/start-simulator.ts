import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { responseIds } from "../../src/graph/graph-error-catalogue.js";
import { errorResponse, type GraphResponse, withResponseIds } from "../../src/graph/graph-responses.js";
import { defaultMaxBodyBytes } from "../../src/graph/request-checks.js";
import {
  type ClientTimeouts,
  createLocalServer,
  defaultClientTimeouts,
  type HttpsOption,
  listen,
  serverUrl,
} from "../../src/http/listen.js";
import { headerValue, readGraphRequest, unreadRequestResponse, writeGraphResponse } from "../../src/http/node-http.js";
import { hasPart } from "../../src/parts/optional-parts.js";
import type { SimulatorClock } from "./clock.js";
import { createSimulator, type Simulator, type SimulatorOptions } from "./create-simulator.js";

export interface StartSimulatorOptions extends SimulatorOptions {
  /** Port to listen on; 0 (the default) lets the OS choose a free one. */
  port?: number;
  /** Interface to bind; loopback by default. */
  host?: string;
  /**
   * Serve HTTPS with a certificate made at start for 127.0.0.1, localhost and `host`, signed by a
   * CA whose certificate is at `caCertificatePath`. Clients such as Microsoft's Graph SDK only
   * send their token to an https host; `NODE_EXTRA_CA_CERTS` makes Node trust this one.
   */
  https?: HttpsOption;
  /**
   * How long to wait for a request's headers (default 30 s) and for its body after them (default
   * 30 s); a client slower than that is answered 408 `requestTimeout` and its connection closed.
   */
  timeouts?: Partial<ClientTimeouts>;
}

export interface RunningSimulator {
  url: string;
  /** With `https`: the CA certificate's path, for `NODE_EXTRA_CA_CERTS`. */
  caCertificatePath?: string;
  clock: SimulatorClock;
  simulator: Simulator;
  /**
   * Stops serving, and stops Azurite if the simulator started it. With `drainMs`, it first stops
   * accepting connections and lets the requests in flight finish, for at most that long (or until
   * `abort` fires).
   */
  close(options?: { drainMs?: number; abort?: AbortSignal }): Promise<void>;
}

/** Uploads over HTTP when none are asked for: Azurite where it is installed, else off. */
export function defaultHttpUploads(): "azurite" | "off" {
  return hasPart("azurite") ? "azurite" : "off";
}

/** The simulator's own failure, said plainly: a client's mistake never lands here. */
function failed(req: IncomingMessage, error: unknown, date: Date): GraphResponse {
  const ids = responseIds(headerValue(req.headers["client-request-id"]), date);
  const message = error instanceof Error ? error.message : String(error);
  return withResponseIds(errorResponse("internalError", `The simulator failed: ${message}`, ids), ids);
}

/** Serves a simulator over node:http (or node:https) and resolves once it listens. */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? "127.0.0.1";
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const timeouts = { ...defaultClientTimeouts, ...options.timeouts };
  let url = "";
  // Over HTTP a consumer's Azure SDK can reach a blob endpoint, so uploads are real unless asked
  // otherwise, or unless Azurite (an optional part) is not installed. Made first: options it refuses
  // are refused before anything is started.
  const simulator = createSimulator({ ...options, uploads: options.uploads ?? defaultHttpUploads() });
  const local = await createLocalServer(
    (req, res) => {
      readGraphRequest(req, { maxBodyBytes, origin: url, bodyTimeoutMs: timeouts.bodyTimeoutMs })
        .then((request) => simulator.respond(request))
        .catch((error: unknown) => {
          const date = new Date(simulator.clock.now());
          const ids = responseIds(headerValue(req.headers["client-request-id"]), date);
          const unread = unreadRequestResponse(error, ids);
          return unread ? withResponseIds(unread, ids) : failed(req, error, date);
        })
        // Even the answer to a failure can fail (a clock a test set past any date): every request is answered.
        .catch((error: unknown) => failed(req, error, new Date()))
        .then((response) => writeGraphResponse(res, response));
    },
    { host, timeouts, ...(options.https === undefined ? {} : { https: options.https }) },
  ).catch(async (error: unknown) => {
    await simulator.close();
    throw error;
  });
  const { server, scheme, certificate, stop } = local;
  // Keep-alive clients (load tests, SDKs) must not hold close() open.
  server.keepAliveTimeout = 5000;
  try {
    // A database store connects and migrates, and a shared blob endpoint is checked, before the
    // port opens: a replica that listens can answer.
    await simulator.store.open();
    if (options.uploadsUrl !== undefined) await simulator.startUploads();
    await listen(server, host, options.port ?? 0);
  } catch (error) {
    certificate?.dispose();
    await simulator.close();
    throw error;
  }
  url = serverUrl(host, (server.address() as AddressInfo).port, scheme);
  return {
    url,
    ...(certificate ? { caCertificatePath: certificate.caCertificatePath } : {}),
    clock: simulator.clock,
    simulator,
    close: async (closeOptions = {}) => {
      // Requests in flight may still need the blob store: it stops once they are done.
      await stop(closeOptions.drainMs ?? 0, closeOptions.abort);
      await simulator.close();
      certificate?.dispose();
    },
  };
}
