import type { Redis } from "ioredis";
import { z } from "zod";
import { readJsonValues } from "./heartbeat";

// The process supervisor (`npm start` / `npm run dev`, scripts/run.ts) restarts a web server or worker
// that crashed. It records its restarts in Redis, next to the worker heartbeats and like them with a
// short expiry renewed while it runs, so /api/health and /api/metrics (in the web process, which may
// itself have been restarted) can report them. Several supervisors (one per machine) may share a Redis.

export const SUPERVISOR_TTL_SECONDS = 30;

const processRestartsSchema = z.object({
  /** Restarts since this supervisor started. */
  count: z.number().int().min(0),
  lastAt: z.string(),
  /** How the process ended before its last restart: "code 1", "signal SIGKILL". */
  lastExit: z.string(),
});

export const supervisorReportSchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  /** By supervised process name (web, worker); a process never restarted is absent. */
  restarts: z.record(z.string(), processRestartsSchema),
});
export type SupervisorReport = z.infer<typeof supervisorReportSchema>;

function supervisorKey(prefix: string, id: string): string {
  return `${prefix}:supervisors:${id}`;
}

export async function writeSupervisorReport(redis: Redis, prefix: string, report: SupervisorReport): Promise<void> {
  await redis.set(supervisorKey(prefix, report.id), JSON.stringify(report), "EX", SUPERVISOR_TTL_SECONDS);
}

export async function removeSupervisorReport(redis: Redis, prefix: string, id: string): Promise<void> {
  await redis.del(supervisorKey(prefix, id));
}

/** The supervisors that reported within the last SUPERVISOR_TTL_SECONDS. */
export async function readSupervisorReports(redis: Redis, prefix: string): Promise<SupervisorReport[]> {
  const values = await readJsonValues(redis, supervisorKey(prefix, "*"));
  return values.flatMap((value) => {
    const parsed = supervisorReportSchema.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Restarts by process name, summed over the supervisors. */
export function restartsByProcess(reports: readonly SupervisorReport[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const report of reports) {
    for (const [name, { count }] of Object.entries(report.restarts)) totals[name] = (totals[name] ?? 0) + count;
  }
  return totals;
}
