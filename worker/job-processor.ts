import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import type { z } from "zod";
import { jobs, isJobOf, type JobNameOf, type JobPayload, type QueueName } from "@/server/jobs/registry";
import { requestContext } from "@/server/request-context";
import { readPayload } from "./contract-guard";
import { jobDuration, jobOutcomes } from "./metrics";

/** Does one job's work; returns a short outcome word (a metrics label and the job's return value). */
export type JobHandler<N extends JobNameOf<QueueName>> = (payload: JobPayload<N>, job: Job, token: string | undefined) => Promise<string>;

/** A handler for every job of the queue: the compiler points at a job type without one. */
export type QueueHandlers<Q extends QueueName> = { [N in JobNameOf<Q>]: JobHandler<N> };

/**
 * The thin BullMQ processor of one queue: look the job up in the registry, validate its payload with
 * the job's schema (a newer release's payload is left for a newer worker), run its handler in the
 * request context of the API call that enqueued it, and count it. Errors are rethrown so BullMQ retries.
 */
export function createJobProcessor<Q extends QueueName>(queue: Q, handlers: QueueHandlers<Q>): (job: Job, token?: string) => Promise<string> {
  return async (job, token) => {
    const name = job.name;
    if (!isJobOf(queue, name)) throw new UnrecoverableError(`unknown job ${name}`);
    const payload: unknown = await readPayload<unknown>(job, token, jobs[name].schema as z.ZodType<unknown>);
    // Log lines of this job carry the request id of the API call that enqueued it.
    const requestId = typeof payload === "object" && payload !== null && "requestId" in payload && typeof payload.requestId === "string" ? payload.requestId : `job-${job.id}`;
    const stopTimer = jobDuration.startTimer({ job: name });
    try {
      const handler = handlers[name] as JobHandler<typeof name>;
      const outcome = await requestContext.run({ requestId, jobId: job.id }, () => handler(payload as JobPayload<typeof name>, job, token));
      stopTimer({ outcome });
      jobOutcomes.inc({ job: name, outcome });
      return outcome;
    } catch (err) {
      // A handler that put its job back for later (DelayedError) did not fail.
      const outcome = err instanceof DelayedError ? "delayed" : "failed";
      stopTimer({ outcome });
      jobOutcomes.inc({ job: name, outcome });
      throw err;
    }
  };
}

/** The last attempt BullMQ will make of this job (or an error that retries cannot fix). */
export function isFinalAttempt(job: Job, err: unknown): boolean {
  return err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
