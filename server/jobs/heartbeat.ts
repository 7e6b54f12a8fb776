import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";

/** A registry's metrics as JSON (what prom-client's AggregatorRegistry merges). */
export type MetricsJson = Awaited<ReturnType<Registry["getMetricsAsJSON"]>>;

// Each worker process announces itself in Redis every few seconds with its metrics; the web's health
// check counts the live ones and /api/metrics merges their metrics with its own.

export const HEARTBEAT_TTL_SECONDS = 30;

export interface WorkerHeartbeat {
  id: string;
  at: string;
  concurrency: number;
  metrics: MetricsJson;
}

function heartbeatKey(prefix: string, id: string): string {
  return `${prefix}:workers:${id}`;
}

// Host name and pid alone are not unique: containers on the host network share the host's name, and
// each container's main process is pid 1, so two worker containers were both "vm:1" and counted as one.
// A random part, drawn once per process start, tells them apart (and a restarted process from its past).
const processStartId = randomBytes(4).toString("hex");

/** This process's worker id: `host:pid:random`, the same for every call within one process. */
export function workerId(): string {
  return `${hostname()}:${process.pid}:${processStartId}`;
}

export async function writeHeartbeat(redis: Redis, prefix: string, beat: WorkerHeartbeat): Promise<void> {
  await redis.set(heartbeatKey(prefix, beat.id), JSON.stringify(beat), "EX", HEARTBEAT_TTL_SECONDS);
}

export async function removeHeartbeat(redis: Redis, prefix: string, id: string): Promise<void> {
  await redis.del(heartbeatKey(prefix, id));
}

/** The workers that reported within the last HEARTBEAT_TTL_SECONDS. */
export async function readHeartbeats(redis: Redis, prefix: string): Promise<WorkerHeartbeat[]> {
  return (await readJsonValues(redis, heartbeatKey(prefix, "*"))) as WorkerHeartbeat[];
}

/** The parsed JSON values of every key matching a pattern (unparsable ones are left out). */
export async function readJsonValues(redis: Redis, pattern: string): Promise<unknown[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 100);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = await redis.mget(keys);
  return values.flatMap((value) => {
    if (!value) return [];
    try {
      return [JSON.parse(value) as unknown];
    } catch {
      return [];
    }
  });
}
