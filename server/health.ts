import { sql } from "drizzle-orm";
import { db } from "./db";
import { env } from "./env.js";
import { readHeartbeats } from "./jobs/heartbeat";
import { producerRedis, queueDepths } from "./jobs/producer";

export interface HealthReport {
  ok: boolean;
  postgres: { ok: boolean; error?: string };
  redis: { ok: boolean; error?: string };
  /** Live worker processes (heartbeat within 30 s); none means saved posts are not being processed. */
  workers: { ok: boolean; alive: number; error?: string };
  queue?: Awaited<ReturnType<typeof queueDepths>>;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Checks the primary database, Redis and the workers' heartbeats, and reports queue depths. */
export async function checkHealth(): Promise<HealthReport> {
  const [postgres, queue, beats] = await Promise.all([
    withTimeout(db.execute(sql`select 1`), 2_000).then(
      () => ({ ok: true }),
      (err: unknown) => ({ ok: false, error: message(err) }),
    ),
    withTimeout(queueDepths(), 2_000).then(
      (depths) => ({ ok: true, error: undefined, depths }),
      (err: unknown) => ({ ok: false, error: message(err), depths: undefined }),
    ),
    withTimeout(
      producerRedis().then((redis) => readHeartbeats(redis, env.QUEUE_PREFIX)),
      2_000,
    ).catch(() => null),
  ]);
  const alive = beats?.length ?? 0;
  const workers =
    beats === null
      ? { ok: false, alive, error: "Redis is not reachable" }
      : alive > 0
        ? { ok: true, alive }
        : { ok: false, alive, error: "no worker has reported in the last 30 seconds" };
  const redis = queue.ok ? { ok: true } : { ok: false, error: queue.error };
  return {
    ok: postgres.ok && redis.ok && workers.ok,
    postgres,
    redis,
    workers,
    ...(queue.depths && { queue: queue.depths }),
  };
}
