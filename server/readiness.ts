// Whether this web process should be sent requests: the readiness probe (/api/health?probe=web) answers
// 503 while it warms up after start (scripts/web-warm-up.ts loads the main routes first, so the first
// readers and writers a load balancer sends here do not wait for that) and once it is draining
// (scripts/web-shutdown.ts sets it on SIGTERM, before the server stops), so a load balancer sends new
// requests elsewhere while the ones in flight finish.
//
// A global symbol, not a module variable: the preloaded hooks (check-env.mjs) and the route handlers
// (Next's bundles) each carry their own copy of this module, but share one process. A process without
// the hooks (`next dev`) is never warming.
const STATE = Symbol.for("inkwell.web.readiness");
type State = "warming" | "ready" | "draining";
const processState = globalThis as unknown as { [STATE]?: State };

export function markWarming(): void {
  if (processState[STATE] === undefined) processState[STATE] = "warming";
}

export function markWarm(): void {
  if (processState[STATE] === "warming") processState[STATE] = "ready";
}

export function markDraining(): void {
  processState[STATE] = "draining";
}

export function isDraining(): boolean {
  return processState[STATE] === "draining";
}

/** Why this process should not take new requests now, or null when it should. */
export function notReadyBecause(): "warming" | "draining" | null {
  const state = processState[STATE];
  return state === "warming" || state === "draining" ? state : null;
}
