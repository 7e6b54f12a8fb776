// Graceful shutdown for the standalone web server, preloaded with it (see build-standalone.ts).
//
// On SIGTERM Next's server stops accepting connections and waits for requests in flight, then exits
// with 128 + signal (143). Two things are adjusted here: the live-status feeds are server-sent-event
// requests that never end by themselves, so after a bounded drain the process exits anyway (browsers
// reconnect to another instance); and a shutdown asked for is a clean stop, so it exits 0.

import { env } from "../server/env.js";

export function installGracefulShutdown(drainMs = env.WEB_SHUTDOWN_DRAIN_MS): void {
  let stopping = false;
  const exit = process.exit.bind(process);
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    // Next's own handler (registered after this one) drains and then calls process.exit(143 or 130).
    process.exit = ((code?: number | string | null) => exit(code === 143 || code === 130 ? 0 : code)) as typeof process.exit;
    setTimeout(() => exit(0), drainMs).unref();
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}
