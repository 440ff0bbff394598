import { connect } from "node:net";
import { networkInterfaces } from "node:os";

/** This machine's first IPv4 address that is not loopback, if it has one: where a loopback bind must not answer. */
export const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address?.family === "IPv4" && !address.internal)?.address;

/** Whether a connection to host:port is refused (nothing listens there for that address). */
export function refusedOn(host: string, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, host);
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}
