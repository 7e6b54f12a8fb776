// Warm-up for the standalone web server, preloaded with it (see build-standalone.ts).
//
// Next loads each route's code on its first request: on a busy machine the first save, page or sign-in
// a fresh instance gets took seconds (seen at 12–15 s during a rolling deploy at load 13). So until it
// has asked itself for the routes every visit uses, the instance tells load balancers it is not ready
// (server/readiness.ts): the readiness probe answers 503 and they keep sending to the old instances.
// Best effort and bounded: a route that fails or is slow does not keep the instance out for good.

import { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { markWarm, markWarming } from "../server/readiness";

/** The routes behind a reader's page, a writer's dashboard and a save (the tRPC route holds every procedure). */
export const WARM_UP_PATHS = ["/", "/sign-in", "/dashboard", `/api/trpc/posts.latest?input=${encodeURIComponent(JSON.stringify({ json: { limit: 1 } }))}`];
const WARM_UP_TIMEOUT_MS = 30_000;

async function warmUp(address: AddressInfo, log: (message: string) => void): Promise<void> {
  const host = address.family === "IPv6" ? `[${address.address === "::" ? "::1" : address.address}]` : address.address === "0.0.0.0" ? "127.0.0.1" : address.address;
  const started = Date.now();
  const deadline = AbortSignal.timeout(WARM_UP_TIMEOUT_MS);
  await Promise.allSettled(
    WARM_UP_PATHS.map(async (path) => {
      const res = await fetch(`http://${host}:${address.port}${path}`, { redirect: "manual", signal: deadline });
      await res.arrayBuffer();
    }),
  );
  markWarm();
  log(`[inkwell web] warmed up in ${Date.now() - started} ms: ready for requests`);
}

export function installWarmUp(log: (message: string) => void = console.log): void {
  markWarming();
  let started = false;
  const emit = Server.prototype.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  Server.prototype.emit = function emitStartingWarmUp(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    const result = emit.call(this, event, ...args);
    if (event === "listening" && !started) {
      const address = this.address();
      if (address && typeof address === "object") {
        started = true;
        void warmUp(address, log);
      }
    }
    return result;
  } as typeof Server.prototype.emit;
}
