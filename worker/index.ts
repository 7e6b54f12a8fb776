// The Worker Service: its own Node process consuming `process-post` jobs and account mail from Redis.
import os from "node:os";

import { env } from "@/server/env.js";
import { closeDb } from "@/server/db";
import { closeSharedRedis } from "@/server/jobs/redis";
import { logger } from "@/server/logger";
import { closeRenderThreads } from "@/server/render/pool";
import { createAccountsWorker } from "./accounts-worker";
import { createNewsletterWorker } from "./newsletter-worker";
import { createMediaWorker } from "./media-worker";
import { createPostWorker } from "./post-worker";
import { createPortabilityWorker } from "./portability-worker";

const SHUTDOWN_TIMEOUT_MS = 25_000;

// Lower priority than the web server's request path (see WORKER_NICE in server/env.js).
if (env.WORKER_NICE > 0) {
  try {
    os.setPriority(env.WORKER_NICE);
  } catch (err) {
    logger.warn({ component: "worker", err }, "could not lower the worker's CPU priority; running at normal priority");
  }
}

const postWorker = createPostWorker({ rerenderOnStart: true });
const accountsWorker = createAccountsWorker();
const portabilityWorker = createPortabilityWorker();
const newsletterWorker = createNewsletterWorker();
const mediaWorker = createMediaWorker();
logger.info({ component: "worker", concurrency: env.WORKER_CONCURRENCY, nice: os.getPriority(), prefix: env.QUEUE_PREFIX }, "worker started");

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ component: "worker", signal }, "shutting down: finishing jobs in hand");
  // Hard limit: a stuck job must not keep the process alive forever; BullMQ re-runs it as stalled.
  const timeout = setTimeout(() => {
    logger.error({ component: "worker" }, "shutdown timed out");
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  timeout.unref();
  try {
    // Stop taking work, wait for the jobs in hand.
    await Promise.all([postWorker.close(), accountsWorker.close(), portabilityWorker.close(), newsletterWorker.close(), mediaWorker.close()]);
    await closeRenderThreads();
    await closeSharedRedis(); // the sweep's and the announcements' connection
    await closeDb();
    logger.info({ component: "worker" }, "worker stopped");
    process.exit(0);
  } catch (err) {
    logger.error({ component: "worker", err }, "shutdown failed");
    process.exit(1);
  }
}

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
