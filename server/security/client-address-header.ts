// Gives the app the client's address: installed by the standalone web server's preload (check-env.mjs,
// see scripts/build-standalone.ts). Free of app imports, so the preload validates the environment first.
//
// Route handlers see headers, not the connection. Node announces every request on the
// "http.server.request.start" diagnostics channel before the server's handler runs, with its socket:
// the peer address is written into CLIENT_ADDRESS_HEADER there, over any value a client sent under
// that name, so the header is the connection's and nobody else's.
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

/** Set by the web server from the TCP connection; a client's copy is overwritten, never trusted. */
export const CLIENT_ADDRESS_HEADER = "x-inkwell-client-address";

/** "::ffff:203.0.113.9" (an IPv4 client on a dual-stack socket) is 203.0.113.9. */
export function peerAddress(socket: Pick<Socket, "remoteAddress">): string {
  const address = socket.remoteAddress ?? "unknown";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice("::ffff:".length) : address;
}

export function installClientAddressHeader(): void {
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[CLIENT_ADDRESS_HEADER] = peerAddress(socket);
  });
}
