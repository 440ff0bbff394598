import { once } from "node:events";
import { connect, type Socket } from "node:net";

const jsonOrText = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** A response read off a raw connection: what `expectGraphError` takes, and the body (parsed if JSON). */
export interface RawResponse {
  response: Response;
  body: unknown;
}

/**
 * A connection that writes whatever a test gives it, as a misbehaving client would (a request cut
 * short, a body sent slowly), and reads the HTTP/1.1 response the server writes back.
 */
export interface RawConnection {
  socket: Socket;
  write(text: string): Promise<void>;
  /** The first complete response (by its content-length); fails if the connection ends before one. */
  response(): Promise<RawResponse>;
  /** Resolves once the server has closed the connection (or it was destroyed). */
  closed(): Promise<void>;
}

export async function rawConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname.replace(/^\[(.*)\]$/, "$1"));
  await once(socket, "connect");
  let received = Buffer.alloc(0);
  // A reset after the server has answered and closed is part of being cut off, not a failure.
  socket.on("error", () => undefined);
  socket.on("data", (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
  });
  const closed = once(socket, "close").then(() => undefined);
  const parse = (): RawResponse | undefined => {
    const end = received.indexOf("\r\n\r\n");
    if (end < 0) return undefined;
    const [statusLine = "", ...lines] = received.subarray(0, end).toString("latin1").split("\r\n");
    const headers = new Headers();
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    const length = Number(headers.get("content-length") ?? 0);
    if (received.length < end + 4 + length) return undefined;
    const text = received.subarray(end + 4, end + 4 + length).toString("utf8");
    const status = Number(statusLine.split(" ")[1]);
    return { response: new Response(null, { status, headers }), body: text.length > 0 ? jsonOrText(text) : undefined };
  };
  return {
    socket,
    write: (text) =>
      new Promise<void>((resolve, reject) => socket.write(text, (error) => (error ? reject(error) : resolve()))),
    response: async () => {
      for (;;) {
        const parsed = parse();
        if (parsed) return parsed;
        const more = await Promise.race([once(socket, "data").then(() => true), closed.then(() => false)]);
        if (!more) {
          const last = parse();
          if (last) return last;
          throw new Error(`the connection closed before a complete response: ${JSON.stringify(received.toString())}`);
        }
      }
    },
    closed: () => closed,
  };
}
