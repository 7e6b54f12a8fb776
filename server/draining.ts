// Whether this web process is shutting down. scripts/web-shutdown.ts sets it on SIGTERM, before the
// server stops; the readiness probe (/api/health?probe=web) then answers 503, so a load balancer stops
// sending new requests here while the ones in flight finish.
//
// A global symbol, not a module variable: the shutdown hook (check-env.mjs, preloaded) and the route
// handlers (Next's bundles) each carry their own copy of this module, but share one process.
const DRAINING = Symbol.for("inkwell.web.draining");
const processState = globalThis as unknown as { [DRAINING]?: boolean };

export function markDraining(): void {
  processState[DRAINING] = true;
}

export function isDraining(): boolean {
  return processState[DRAINING] === true;
}
