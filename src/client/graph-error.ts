/**
 * A non-2xx answer from the API, read from Graph's error envelope. Branch on `code` (stable), not
 * on `message` (for people, and free to change).
 */
export class GraphError extends Error {
  override name = "GraphError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly clientRequestId: string | undefined,
    /** Seconds to wait before retrying, from `Retry-After` (429, and some 503s). */
    readonly retryAfter: number | undefined,
    /** The body as received, for anything the fields above leave out. */
    readonly body: unknown,
  ) {
    super(message);
  }

  /** Reads an error response; a body that is not Graph's envelope still gives a GraphError. */
  static async fromResponse(response: Response, parsedBody?: unknown): Promise<GraphError> {
    let body = parsedBody;
    if (body === undefined) {
      const text = await response.text().catch(() => "");
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
    }
    const envelope = (
      body as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } } | undefined
    )?.error;
    const inner = envelope?.innerError ?? {};
    const header = (name: string) => response.headers.get(name) ?? undefined;
    const retryAfter = parseRetryAfter(header("retry-after"));
    return new GraphError(
      response.status,
      typeof envelope?.code === "string" ? envelope.code : `http${response.status}`,
      typeof envelope?.message === "string"
        ? envelope.message
        : `HTTP ${response.status} ${response.statusText}`.trim(),
      header("request-id") ?? (typeof inner["request-id"] === "string" ? inner["request-id"] : undefined),
      header("client-request-id") ??
        (typeof inner["client-request-id"] === "string" ? inner["client-request-id"] : undefined),
      retryAfter,
      body,
    );
  }
}

/** `Retry-After` in seconds: a number (Graph sends fractions, `2.128`) or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** Waiting gave up: the profile (or its sync) had not settled in time. */
export class WaitTimeoutError extends Error {
  override name = "WaitTimeoutError";
  constructor(
    message: string,
    /** The last thing read: the profile or its status. */
    readonly last: unknown,
  ) {
    super(message);
  }
}

/**
 * A page's `@odata.nextLink` cannot be followed: it is not a URL of the list being read (the 2017
 * troubleshooting sample's link points into `$metadata`; decisions.md#gen-a-next-link).
 */
export class NextLinkError extends Error {
  override name = "NextLinkError";
  constructor(
    message: string,
    readonly nextLink: string,
  ) {
    super(message);
  }
}
