import { sql } from "drizzle-orm";
import { db } from "./db";
import { queueDepths } from "./jobs/producer";

export interface HealthReport {
  ok: boolean;
  postgres: { ok: boolean; error?: string };
  redis: { ok: boolean; error?: string };
  queue?: Awaited<ReturnType<typeof queueDepths>>;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const failure = (err: unknown) => ({ ok: false, error: err instanceof Error ? err.message : String(err) });

/** Checks the primary database and Redis, and reports queue depths; used by GET /api/health. */
export async function checkHealth(): Promise<HealthReport> {
  const [postgres, queue] = await Promise.all([
    withTimeout(db.execute(sql`select 1`), 2_000).then(() => ({ ok: true }), failure),
    withTimeout(queueDepths(), 2_000).then((depths) => ({ ok: true as const, depths }), failure),
  ]);
  const redis = queue.ok ? { ok: true } : queue;
  return { ok: postgres.ok && queue.ok, postgres, redis, ...("depths" in queue && { queue: queue.depths }) };
}
