import type { Redis } from "ioredis";
import { env } from "../env.js";
import { createRedis } from "./contract";

// The web process's (and the worker's, for enqueues and announcements) one Redis connection for
// commands: the queues' producers, health, metrics and status announcements share it. Made on first use
// (never at import, so `next build` needs no Redis) and cached across hot reloads.

const globalForRedis = globalThis as unknown as { inkwellSharedRedis?: Redis; inkwellSharedRedisClosers?: Set<() => Promise<void>> };

/** The connection, made on first use; it may still be connecting (see `sharedRedis`). */
export function sharedRedisConnection(): Redis {
  if (!globalForRedis.inkwellSharedRedis) {
    const redis = createRedis(env.REDIS_URL, "producer");
    // Errors surface on the commands that fail; without a listener ioredis would also print them all.
    redis.on("error", () => {});
    globalForRedis.inkwellSharedRedis = redis;
  }
  return globalForRedis.inkwellSharedRedis;
}

/**
 * The connection fails fast instead of queueing commands offline. Only a connection that has not been
 * established yet is waited for, briefly; one that was lost fails at once, so a save never waits on
 * a Redis outage (the worker's sweep enqueues what could not be enqueued).
 */
async function ready(redis: Redis): Promise<void> {
  if (redis.status === "ready") return;
  if (redis.status !== "wait" && redis.status !== "connecting" && redis.status !== "connect") {
    throw new Error(`Redis is not reachable (${redis.status})`);
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error("Redis is not reachable"));
    }, 2_000);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off("ready", onReady);
    };
    redis.on("ready", onReady);
  });
}

/** The shared connection, connected (or an error at once when Redis is unreachable). */
export async function sharedRedis(): Promise<Redis> {
  const redis = sharedRedisConnection();
  await ready(redis);
  return redis;
}

/** What else holds the connection (the queues) registers here to be closed before it. */
export function onCloseSharedRedis(close: () => Promise<void>): void {
  (globalForRedis.inkwellSharedRedisClosers ??= new Set()).add(close);
}

/** Closes the queues and the connection (tests and scripts; the web server keeps them for its lifetime). */
export async function closeSharedRedis(): Promise<void> {
  const closers = globalForRedis.inkwellSharedRedisClosers;
  globalForRedis.inkwellSharedRedisClosers = undefined;
  for (const close of closers ?? []) await close();
  const redis = globalForRedis.inkwellSharedRedis;
  if (!redis) return;
  globalForRedis.inkwellSharedRedis = undefined;
  await redis.quit().catch(() => redis.disconnect());
}
