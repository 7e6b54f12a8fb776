import { sql } from "drizzle-orm";
import { db } from "./db";
import { isDraining } from "./readiness";
import { env } from "./env.js";
import { readHeartbeats } from "./jobs/heartbeat";
import { queueDepths } from "./jobs/queues";
import { sharedRedis } from "./jobs/redis";
import { readSupervisorReports, restartsByProcess } from "./jobs/restarts";

export interface HealthReport {
  ok: boolean;
  postgres: { ok: boolean; error?: string };
  redis: { ok: boolean; error?: string };
  /** Live worker processes (heartbeat within 30 s); none means saved posts are not being processed. */
  workers: { ok: boolean; alive: number; error?: string };
  queue?: Awaited<ReturnType<typeof queueDepths>>;
  /** Restarts of crashed processes by their supervisor (`npm start`), by process name; {} when none. */
  restarts: Record<string, number>;
  /** This web process received SIGTERM and is finishing its requests: not ready for new ones. */
  draining: boolean;
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
  const [postgres, queue, beats, supervisors] = await Promise.all([
    withTimeout(db.execute(sql`select 1`), 2_000).then(
      () => ({ ok: true }),
      (err: unknown) => ({ ok: false, error: message(err) }),
    ),
    withTimeout(queueDepths(), 2_000).then(
      (depths) => ({ ok: true, error: undefined, depths }),
      (err: unknown) => ({ ok: false, error: message(err), depths: undefined }),
    ),
    withTimeout(
      sharedRedis().then((redis) => readHeartbeats(redis, env.QUEUE_PREFIX)),
      2_000,
    ).catch(() => null),
    withTimeout(
      sharedRedis().then((redis) => readSupervisorReports(redis, env.QUEUE_PREFIX)),
      2_000,
    ).catch(() => []),
  ]);
  const alive = beats?.length ?? 0;
  const workers =
    beats === null
      ? { ok: false, alive, error: "Redis is not reachable" }
      : alive > 0
        ? { ok: true, alive }
        : { ok: false, alive, error: "no worker has reported in the last 30 seconds" };
  const redis = queue.ok ? { ok: true } : { ok: false, error: queue.error };
  const draining = isDraining();
  return {
    ok: postgres.ok && redis.ok && workers.ok && !draining,
    postgres,
    redis,
    workers,
    ...(queue.depths && { queue: queue.depths }),
    restarts: restartsByProcess(supervisors),
    draining,
  };
}
