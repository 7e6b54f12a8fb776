import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { db } from "../db";
import { sendBatchJobId, sendPostJobId } from "../jobs/newsletter-contract";
import { queue } from "../jobs/queues";
import { logger as rootLogger } from "../logger";
import { getPostMailSource } from "../posts/mail-source";
import { enqueueSendBatches, enqueueSendPost } from "./queue";
import { deliveries, postSends } from "./schema";

// The newsletter worker's sweep: sends whose jobs Redis lost (an outage that kept nothing, a flush, a job
// deleted by hand) are found by their rows and enqueued again. Nothing else re-enqueues them: a send-post
// job fans out once, and its batch jobs are the only thing that moves a send on. Re-enqueueing is always
// safe: job ids collapse repeats, and a batch run twice sends only what its rows say is unsent.

const logger = rootLogger.child({ component: "newsletter-sweep" });

/** BullMQ states in which a job will still run (or is running). */
const LIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

async function hasLiveJob(jobId: string): Promise<boolean> {
  return LIVE_STATES.has(await queue("newsletter").getJobState(jobId));
}

/** Drops a job that will not run again (failed, kept for the board) so that adding its id runs it. */
async function removeDeadJob(jobId: string): Promise<void> {
  const job = await queue("newsletter").getJob(jobId);
  if (job && !(await job.isActive())) await job.remove().catch(() => {});
}

export interface SweepOutcome {
  /** Sends whose send-post job was enqueued again (it had not fanned out yet). */
  sendsResumed: number;
  /** Batch jobs enqueued again. */
  batchesResumed: number;
}

/**
 * Finds sends that are not finished, were asked for more than `graceSeconds` ago, and have no live job
 * for their next step, and enqueues that step again: the send-post job of a send that has not started,
 * the batch job of every batch that still has unsent deliveries.
 */
export async function resumeLostSends(graceSeconds: number, limit = 100): Promise<SweepOutcome> {
  const outcome: SweepOutcome = { sendsResumed: 0, batchesResumed: 0 };
  const unfinished = await db
    .select({ postId: postSends.postId, startedAt: postSends.startedAt })
    .from(postSends)
    .where(and(inArray(postSends.status, ["scheduled", "queued", "sending"]), lt(postSends.requestedAt, sql`now() - make_interval(secs => ${graceSeconds})`)))
    .orderBy(postSends.requestedAt)
    .limit(limit);
  for (const send of unfinished) {
    if (send.startedAt === null) {
      // Not fanned out yet: the send-post job waits for the post to go live (and delays itself until its schedule).
      const jobId = sendPostJobId({ postId: send.postId });
      if (await hasLiveJob(jobId)) continue;
      await removeDeadJob(jobId);
      await enqueueSendPost({ postId: send.postId });
      outcome.sendsResumed++;
      continue;
    }
    // A post taken down mid-send leaves its rest unsent on purpose (its batches end without sending).
    if (!(await getPostMailSource(send.postId))?.live) continue;
    const unsentBatches = await db
      .selectDistinct({ batch: deliveries.batch })
      .from(deliveries)
      .where(and(eq(deliveries.postId, send.postId), inArray(deliveries.status, ["pending", "sending"])));
    const lost: number[] = [];
    for (const { batch } of unsentBatches) {
      const jobId = sendBatchJobId({ postId: send.postId, batch });
      if (await hasLiveJob(jobId)) continue;
      await removeDeadJob(jobId);
      lost.push(batch);
    }
    if (lost.length === 0) continue;
    await enqueueSendBatches(lost.map((batch) => ({ postId: send.postId, batch })));
    outcome.batchesResumed += lost.length;
    logger.info({ postId: send.postId, batches: lost.length }, "re-enqueued batches whose jobs were lost");
  }
  return outcome;
}
