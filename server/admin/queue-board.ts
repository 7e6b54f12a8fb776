import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { HonoAdapter } from "@bull-board/hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono, type MiddlewareHandler } from "hono";
import { env } from "../env.js";
import { queue } from "../jobs/queues";
import { queues, type QueueName } from "../jobs/registry";

// Bull Board, the operators' view of the queue (waiting, active, failed jobs; retry, clean), served
// inside the web process. Only writers whose email is in ADMIN_EMAILS reach it (see the route).
//
// A signed-in operator's browser is a powerful client: a page on the same site (another port or
// subdomain, which SameSite=Lax cookies do not separate) could make it add or retry jobs, and Hono
// reads a text/plain form body as JSON. So the board is read-only unless ADMIN_QUEUE_WRITES=1, and
// even then a write must come from the app's own origin with a JSON body (see refuseUnsafeWrites).

export const QUEUE_BOARD_PATH = "/api/admin/queues";

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function refusal(status: number, message: string): Response {
  return Response.json({ error: message }, { status, headers: { "cache-control": "no-store" } });
}

/** Whether the request carries a body (a write without one, such as "retry", needs no content type). */
function hasBody(headers: Headers): boolean {
  return headers.has("transfer-encoding") || Number(headers.get("content-length") ?? "0") > 0;
}

/**
 * Writes reach Bull Board only when enabled, from a page of the app itself (the Origin header, which
 * browsers send with every write and pages cannot set, is the app's own; Sec-Fetch-Site, when present,
 * says same-origin), and with a JSON body: a cross-site form can only send text/plain, urlencoded or
 * multipart bodies.
 */
function refuseUnsafeWrites(options: { writes: boolean; appOrigin: string }): MiddlewareHandler {
  return async (c, next) => {
    const req = c.req.raw;
    if (READ_METHODS.has(req.method)) return next();
    if (!options.writes) {
      return refusal(405, "The queue dashboard is read-only. An operator can allow changes with ADMIN_QUEUE_WRITES=1.");
    }
    const origin = req.headers.get("origin");
    const ownOrigins = new Set([options.appOrigin, new URL(req.url).origin]);
    const fetchSite = req.headers.get("sec-fetch-site");
    if (!origin || !ownOrigins.has(origin) || (fetchSite !== null && fetchSite !== "same-origin")) {
      return refusal(403, "Changes to the queues must come from the dashboard itself.");
    }
    const mediaType = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if ((hasBody(req.headers) || mediaType !== "") && mediaType !== "application/json") {
      return refusal(415, "Changes to the queues must be sent as application/json.");
    }
    return next();
  };
}

/** A board over the app's queues; `writes` false makes every queue read-only in Bull Board as well. */
export function createQueueBoard(options: { writes: boolean; appOrigin?: string }): Hono {
  const serverAdapter = new HonoAdapter(serveStatic).setBasePath(QUEUE_BOARD_PATH);
  const readOnlyMode = !options.writes;
  createBullBoard({
    // Every queue of the job registry.
    queues: (Object.keys(queues) as QueueName[]).map((name) => new BullMQAdapter(queue(name), { readOnlyMode })),
    serverAdapter,
    options: { uiConfig: { boardTitle: readOnlyMode ? "InkWell queues (read-only)" : "InkWell queues" } },
  });
  return new Hono()
    .use("*", refuseUnsafeWrites({ writes: options.writes, appOrigin: options.appOrigin ?? new URL(env.APP_URL).origin }))
    .route(QUEUE_BOARD_PATH, serverAdapter.registerPlugin());
}

const globalForBoard = globalThis as unknown as { inkwellQueueBoard?: Hono };

export function queueBoard(): Hono {
  globalForBoard.inkwellQueueBoard ??= createQueueBoard({ writes: env.ADMIN_QUEUE_WRITES });
  return globalForBoard.inkwellQueueBoard;
}

/** Operators are configured, not self-appointed: ADMIN_EMAILS lists them. */
export function isAdmin(email: string | undefined): boolean {
  return email !== undefined && env.ADMIN_EMAILS.includes(email.toLowerCase());
}
