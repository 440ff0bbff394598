import { randomUUID } from "node:crypto";
import { withDollarPrefixes } from "../graph/query-options.js";
import { matchRoute } from "../spec/match-route.js";
import type { ConformanceLevel } from "../spec/provenance.js";
import type { SpecValidators } from "../validation/spec-validators.js";

/** Something a check found wrong: the request, what the level requires (and on whose word), what came back. */
export interface CheckFailure {
  request: string;
  requirement: string;
  /** Where the requirement comes from: `documented …`, `csdl …`, `graph-convention …` or `kit decisions.md#…`. */
  source?: string;
  got: string;
}

/** One request and its answer, as a check sees it. */
export interface Exchange {
  request: string;
  status: number;
  headers: Headers;
  body: unknown;
}

/** A 429 the server answered during the run, for the check that judges them. */
export interface ObservedThrottle {
  request: string;
  retryAfter: string | null;
  failures: CheckFailure[];
}

export type Send = (request: Request) => Promise<Response>;

export interface ConformanceHttpOptions {
  /** Where the API lives: `http://127.0.0.1:4011`, `https://graph.microsoft.com/beta`, … */
  baseUrl: string;
  send: Send;
  token: () => Promise<string>;
  level: ConformanceLevel;
  validators: SpecValidators;
  sleep: (ms: number) => Promise<void>;
}

const maxThrottledRetries = 3;
const longestRetryAfterMs = 30_000;

/** What came back, in a line: the status and the start of the body. */
export function describeAnswer(status: number, body: unknown): string {
  const text = body === undefined ? "no body" : JSON.stringify(body);
  return `${status} ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`;
}

/**
 * The suite's one way to the server. Every answer to an operation of the spec is judged at the
 * level, and what breaks it is a failure of the check that sent the request; a 429 is recorded,
 * waited out (its Retry-After, or a second) and retried, as a well-behaved Graph client does.
 */
export class ConformanceHttp {
  readonly throttles: ObservedThrottle[] = [];
  private readonly base: string;

  constructor(private readonly options: ConformanceHttpOptions) {
    this.base = options.baseUrl.replace(/\/$/, "");
  }

  async call(
    method: string,
    path: string,
    failures: CheckFailure[],
    init: { body?: unknown; token?: string | null; expectedStatus?: number } = {},
  ): Promise<Exchange> {
    const request = `${method} ${path}`;
    for (let attempt = 0; ; attempt += 1) {
      const headers = new Headers({ "client-request-id": randomUUID() });
      const token = init.token === undefined ? await this.options.token() : init.token;
      if (token !== null) headers.set("authorization", `Bearer ${token}`);
      if (init.body !== undefined) headers.set("content-type", "application/json");
      const response = await this.options.send(
        new Request(`${this.base}${path}`, {
          method,
          headers,
          ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        }),
      );
      const text = await response.text();
      let body: unknown;
      let unreadable = false;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
          unreadable = true;
        }
      }
      const exchange: Exchange = { request, status: response.status, headers: response.headers, body };
      if (response.status === 429 && init.expectedStatus !== 429) {
        const judged: CheckFailure[] = [];
        this.judge(exchange, judged, undefined, unreadable);
        this.throttles.push({ request, retryAfter: response.headers.get("retry-after"), failures: judged });
        if (attempt >= maxThrottledRetries) {
          failures.push({
            request,
            requirement: `an answer within ${maxThrottledRetries + 1} attempts, waiting out each 429`,
            got: `429 ${maxThrottledRetries + 1} times`,
          });
          return exchange;
        }
        const seconds = Number(response.headers.get("retry-after"));
        await this.options.sleep(
          Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, longestRetryAfterMs) : 1000,
        );
        continue;
      }
      this.judge(exchange, failures, init.expectedStatus, unreadable);
      return exchange;
    }
  }

  /** Judges an answer at the level: against its operation, or as a Graph error when no operation matched. */
  private judge(exchange: Exchange, failures: CheckFailure[], expectedStatus: number | undefined, unreadable: boolean) {
    const got = describeAnswer(exchange.status, exchange.body);
    if (unreadable) {
      failures.push({ request: exchange.request, requirement: "a JSON body", source: "graph-convention §4", got });
      return;
    }
    const [method = "GET", path = "/"] = exchange.request.split(" ");
    const url = withDollarPrefixes(new URL(`http://x${path}`));
    const match = matchRoute(method, url.pathname);
    const violations =
      match.kind === "operation"
        ? this.options.validators.validateResponse(
            match.operation.operationId,
            { status: exchange.status, headers: exchange.headers, body: exchange.body },
            {
              level: this.options.level,
              selected: url.searchParams.has("$select"),
              ...(expectedStatus === undefined ? {} : { expectedStatus }),
            },
          )
        : this.options.validators.validateSchema("GraphError", exchange.body, { level: this.options.level });
    for (const violation of violations) {
      const where = violation.path === "" ? violation.location : `${violation.location} ${violation.path}`;
      // The validators name a status rule's source in its message; the failure names it once.
      const message =
        violation.source === undefined ? violation.message : violation.message.replace(` (${violation.source})`, "");
      failures.push({
        request: exchange.request,
        requirement: `${where}: ${message}`,
        ...(violation.source === undefined ? {} : { source: violation.source }),
        got,
      });
    }
  }
}
