import type { IncomingMessage, ServerResponse } from "node:http";
import type { GraphResponse } from "../graph/graph-responses.js";
import type { GraphRequest } from "../graph/request-checks.js";

/**
 * Reads a node:http request into a {@link GraphRequest}, keeping at most `maxBodyBytes + 1` bytes
 * of its body (enough for the checks to answer 413) and draining the rest.
 */
export async function readGraphRequest(
  req: IncomingMessage,
  options: { maxBodyBytes: number; origin: string },
): Promise<GraphRequest> {
  const keep = options.maxBodyBytes + 1;
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (kept >= keep) continue;
    const part = kept + chunk.length > keep ? chunk.subarray(0, keep - kept) : chunk;
    chunks.push(part);
    kept += part.length;
  }
  return {
    method: (req.method ?? "GET").toUpperCase(),
    url: new URL(req.url ?? "/", req.headers.host ? `http://${req.headers.host}` : options.origin),
    header: (name) => headerValue(req.headers[name.toLowerCase()]),
    body: kept === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
  };
}

export function headerValue(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
}

/** Writes a response in one go; a known length lets node send headers and body together. */
export function writeGraphResponse(res: ServerResponse, response: GraphResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(response.status, { ...response.headers, "content-length": Buffer.byteLength(response.body ?? "") });
  res.end(response.body);
}
