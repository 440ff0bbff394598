import { once } from "node:events";
import type { Server } from "node:http";

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

/** `http://host:port`, with brackets around an IPv6 host. */
export function serverUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
