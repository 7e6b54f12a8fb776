import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { HonoAdapter } from "@bull-board/hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { env } from "../env.js";
import { accountsQueue, processPostQueue } from "../jobs/producer";

// Bull Board, the operators' view of the queue (waiting, active, failed jobs; retry, clean), served
// inside the web process. Only writers whose email is in ADMIN_EMAILS reach it (see the route).

export const QUEUE_BOARD_PATH = "/api/admin/queues";

const globalForBoard = globalThis as unknown as { inkwellQueueBoard?: Hono };

export function queueBoard(): Hono {
  if (!globalForBoard.inkwellQueueBoard) {
    const serverAdapter = new HonoAdapter(serveStatic).setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: [new BullMQAdapter(processPostQueue()), new BullMQAdapter(accountsQueue())],
      serverAdapter,
      options: { uiConfig: { boardTitle: "InkWell queues" } },
    });
    globalForBoard.inkwellQueueBoard = new Hono().route(QUEUE_BOARD_PATH, serverAdapter.registerPlugin());
  }
  return globalForBoard.inkwellQueueBoard;
}

/** Operators are configured, not self-appointed: ADMIN_EMAILS lists them. */
export function isAdmin(email: string | undefined): boolean {
  return email !== undefined && env.ADMIN_EMAILS.includes(email.toLowerCase());
}
