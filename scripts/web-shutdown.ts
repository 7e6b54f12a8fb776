// Graceful shutdown for the standalone web server, preloaded with it (see build-standalone.ts).
//
// On SIGTERM Next's server stops accepting connections and waits for requests in flight, then exits
// with 128 + signal (143). In front of that, a rolling deploy behind a load balancer needs the instance
// to leave the balancer without one failed request:
// 1. The readiness probe turns 503 at once (server/readiness.ts).
// 2. For WEB_DEREGISTER_MS the instance goes on serving as before, while the balancer notices: the
//    gateway's gateway/follow-readiness.sh marks it down and reloads nginx, whose old workers finish
//    their requests and close their connections here themselves.
// 3. Then Next's own shutdown runs: the listener closes (a balancer that still connects gets "connection
//    refused", which it retries on another instance, even a POST, since nothing was sent) and requests
//    in flight finish. Any answer from then on carries `Connection: close`, and idle keep-alive
//    connections are left for the balancer to close after its idle timeout (the gateway's is 2 s): this
//    process never closes a connection a balancer may be writing a request into (a save sent into a
//    closing connection fails, and a balancer does not retry a POST).
// The live-status feeds are server-sent-event requests that never end by themselves, so after
// WEB_SHUTDOWN_DRAIN_MS in all the process exits anyway (browsers reconnect to another instance); and a
// shutdown asked for is a clean stop, so it exits 0.

import { Server, type IncomingMessage, type ServerResponse } from "node:http";
import { isDraining, markDraining } from "../server/readiness";
import { env } from "../server/env.js";

type SignalListener = (signal: NodeJS.Signals) => void;

export function installGracefulShutdown(drainMs = env.WEB_SHUTDOWN_DRAIN_MS, deregisterMs = env.WEB_DEREGISTER_MS): void {
  let stopping = false;
  let closing = false;
  let deregistered: () => void = () => {};
  const afterDeregistration = new Promise<void>((resolve) => (deregistered = resolve)).then(() => {
    closing = true;
  });
  const exit = process.exit.bind(process);

  // Answers once the listener is closing close their connection (step 3). Installed after the other
  // request hooks (the origin cache answers some requests itself), so it sees every request first.
  const emit = Server.prototype.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  Server.prototype.emit = function emitClosingWhileDraining(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request" && closing) {
      const [, res] = args as [IncomingMessage, ServerResponse];
      res.shouldKeepAlive = false;
    }
    return emit.call(this, event, ...args);
  } as typeof Server.prototype.emit;

  // Registered before process.on is wrapped below (once() goes through on()), so this one runs at once.
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);

  // Node's server.close() also closes idle keep-alive connections at once, which races a balancer
  // writing a request into one. While draining they are left to the balancer, which closes them after
  // its idle timeout or after a `Connection: close` answer: the process exits at the drain deadline in
  // any case.
  const closeIdleConnections = Server.prototype.closeIdleConnections;
  Server.prototype.closeIdleConnections = function closeIdleConnectionsUnlessDraining(this: Server): void {
    if (!isDraining()) closeIdleConnections.call(this);
  };

  // Next registers its SIGTERM/SIGINT handler (which closes the listener) after this preload: it is
  // held until the deregistration delay has passed (step 3).
  const on = process.on.bind(process) as (event: string | symbol, listener: (...args: unknown[]) => void) => NodeJS.Process;
  process.on = function onSignalAfterDeregistration(event: string | symbol, listener: (...args: unknown[]) => void) {
    if (event === "SIGTERM" || event === "SIGINT") {
      return on(event, (signal: unknown) => void afterDeregistration.then(() => (listener as SignalListener)(signal as NodeJS.Signals)));
    }
    return on(event, listener);
  } as typeof process.on;

  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) return;
    stopping = true;
    markDraining();
    // SIGINT is someone at a terminal (Ctrl-C): no balancer to leave, so the listener closes at once.
    const delayMs = signal === "SIGINT" ? 0 : Math.min(deregisterMs, drainMs);
    console.log(`[inkwell web] draining: readiness probe answers 503; closing connections after ${delayMs} ms, exiting within ${drainMs} ms`);
    // Next's own handler drains and then calls process.exit(143 or 130).
    process.exit = ((code?: number | string | null) => exit(code === 143 || code === 130 ? 0 : code)) as typeof process.exit;
    setTimeout(deregistered, delayMs).unref();
    setTimeout(() => exit(0), drainMs).unref();
  }
}
