import { connect } from "node:net";

export interface RawAnswer {
  /** The status of every response the server wrote on the connection, in order. */
  statuses: number[];
  /** Everything the server wrote. */
  text: string;
  /** Whether the server closed the connection (rather than the time running out). */
  closed: boolean;
}

/**
 * Writes bytes to a fresh TCP connection (half-closing it after, unless `keepOpen`), and reads what
 * comes back until the server closes the connection, or `timeoutMs` passes. For what no HTTP
 * client library will send: malformed request lines, bad lengths, truncated bodies, stray bytes.
 */
export function sendRaw(baseUrl: string, bytes: Uint8Array, timeoutMs: number): Promise<RawAnswer> {
  const server = new URL(baseUrl);
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    let finished = false;
    const socket = connect(Number(server.port), server.hostname, () => {
      socket.end(bytes);
    });
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      const statuses = [...text.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3})/g)].map((match) => Number(match[1]));
      done({ statuses, text, closed });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", () => finish(true));
    // A reset after the server answered is the server closing a connection it will not read further.
    socket.on("error", () => finish(true));
  });
}
