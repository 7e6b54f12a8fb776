// Graceful shutdown for the standalone web server, preloaded with it (see build-standalone.ts).
//
// On SIGTERM Next's server stops accepting connections and waits for requests in flight, then exits
// with 128 + signal (143). Three things are added here: the readiness probe turns 503 at once
// (server/draining.ts), for load balancers still holding connections to this instance; the live-status
// feeds are server-sent-event requests that never end by themselves, so after a bounded drain the
// process exits anyway (browsers reconnect to another instance); and a shutdown asked for is a clean
// stop, so it exits 0.

import { markDraining } from "../server/draining";
import { env } from "../server/env.js";

export function installGracefulShutdown(drainMs = env.WEB_SHUTDOWN_DRAIN_MS): void {
  let stopping = false;
  const exit = process.exit.bind(process);
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    // First, before Next stops listening: the readiness probe fails from now on (server/draining.ts).
    markDraining();
    console.log(`[inkwell web] draining: readiness probe answers 503; exiting within ${drainMs} ms`);
    // Next's own handler (registered after this one) drains and then calls process.exit(143 or 130).
    process.exit = ((code?: number | string | null) => exit(code === 143 || code === 130 ? 0 : code)) as typeof process.exit;
    setTimeout(() => exit(0), drainMs).unref();
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}
