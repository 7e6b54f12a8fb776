import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import type { z } from "zod";
import { JOB_CONTRACT_VERSION, parseJobPayload } from "@/server/jobs/contract";
import { logger as rootLogger } from "@/server/logger";

const logger = rootLogger.child({ component: "worker" });

/** How long a job from a newer release waits before a worker looks at it again. */
export const NEWER_CONTRACT_RETRY_MS = 30_000;

/**
 * The payload of a job, read with its schema. A payload written by a newer release that this worker
 * cannot read is left for a newer worker: the job goes back to the delayed set, its attempts untouched
 * (during a rolling deploy the newer workers are moments away), instead of failing. A payload that is
 * simply broken fails for good.
 */
export async function readPayload<T>(job: Job, token: string | undefined, schema: z.ZodType<T>): Promise<T> {
  const parsed = parseJobPayload(schema, job.data);
  if (parsed.outcome === "ok") return parsed.data;
  if (parsed.outcome === "invalid") throw new UnrecoverableError(`invalid payload: ${parsed.error}`);
  logger.warn(
    { jobId: job.id, job: job.name, contractVersion: parsed.contractVersion, ours: JOB_CONTRACT_VERSION, error: parsed.error },
    "job written by a newer release; leaving it for a newer worker",
  );
  await job.moveToDelayed(Date.now() + NEWER_CONTRACT_RETRY_MS, token);
  throw new DelayedError();
}
