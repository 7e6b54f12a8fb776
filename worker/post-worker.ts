import { UnrecoverableError, Worker, type Job } from "bullmq";
import { env } from "@/server/env.js";
import {
  POSTS_QUEUE,
  PROCESS_POST_JOB,
  PUBLISH_POST_JOB,
  createRedis,
  processPostPayloadSchema,
  publishPostPayloadSchema,
  type PostsJobData,
} from "@/server/jobs/contract";
import { enqueueProcessPost } from "@/server/jobs/producer";
import { logger as rootLogger } from "@/server/logger";
import { removeHeartbeat, workerId, writeHeartbeat } from "@/server/jobs/heartbeat";
import { requestContext } from "@/server/request-context";
import { readPayload } from "./contract-guard";
import { jobDuration, jobOutcomes, workerRegistry } from "./metrics";
import { listOverdueScheduledPosts, listPostsAwaitingProcessing, publishScheduledPost } from "@/server/posts/service";
import { processPost, recordFailure } from "@/server/posts/process-post";

const logger = rootLogger.child({ component: "worker" });

export interface PostWorkerOptions {
  prefix?: string;
  concurrency?: number;
  /** How often to re-enqueue posts left `queued` (for instance saved while Redis was down). 0 disables. */
  sweepIntervalMs?: number;
  /** How long a post may sit in `queued` before the sweep enqueues it again. */
  sweepAfterSeconds?: number;
  /** How often to announce this worker (and its metrics) in Redis. */
  heartbeatIntervalMs?: number;
}

export interface PostWorker {
  worker: Worker<PostsJobData>;
  /** Stops taking jobs, waits for the ones in hand, closes its Redis connection. */
  close(): Promise<void>;
}

function isFinalAttempt(job: Job, err: unknown): boolean {
  return err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** The thin BullMQ processor: validate the payload, delegate, record failures, rethrow so BullMQ retries. */
async function handle(job: Job<PostsJobData>, token?: string): Promise<string> {
  // Log lines of this job carry the request id of the API call that enqueued it.
  const requestId = "requestId" in job.data && job.data.requestId ? job.data.requestId : `job-${job.id}`;
  return requestContext.run({ requestId, jobId: job.id }, () => {
    if (job.name === PROCESS_POST_JOB) return processJob(job, token);
    if (job.name === PUBLISH_POST_JOB) return publishJob(job, token);
    throw new UnrecoverableError(`unknown job ${job.name}`);
  });
}

async function processJob(job: Job<PostsJobData>, token: string | undefined): Promise<string> {
  const payload = await readPayload(job, token, processPostPayloadSchema);
  const log = logger.child({ postId: payload.postId, version: payload.version });
  const stopTimer = jobDuration.startTimer();
  try {
    const outcome = await processPost(payload);
    const seconds = stopTimer({ outcome });
    jobOutcomes.inc({ outcome });
    // waitedMs: from enqueue to this attempt's start (queue latency; includes backoff on retries).
    log.info({ outcome, ms: Math.round(seconds * 1000), waitedMs: job.processedOn ? job.processedOn - job.timestamp : null }, "process-post done");
    return outcome;
  } catch (err) {
    stopTimer({ outcome: "failed" });
    jobOutcomes.inc({ outcome: "failed" });
    const final = isFinalAttempt(job, err);
    const reason = err instanceof Error ? err.message : String(err);
    log.warn({ err, attempt: job.attemptsMade + 1, final }, "process-post failed");
    await recordFailure(payload, reason, final).catch((e: unknown) => log.error({ err: e }, "could not record the failure"));
    throw err;
  }
}

/** A scheduled post's time has come: publish it (once; stale schedules are ignored). */
async function publishJob(job: Job<PostsJobData>, token: string | undefined): Promise<string> {
  const payload = await readPayload(job, token, publishPostPayloadSchema);
  const published = await publishScheduledPost(payload.postId, new Date(payload.scheduledAt));
  logger.info({ postId: payload.postId, scheduledAt: payload.scheduledAt, published }, "publish-post done");
  return published ? "published" : "skipped";
}

export function createPostWorker(options: PostWorkerOptions = {}): PostWorker {
  const connection = createRedis(env.REDIS_URL, "worker");
  connection.on("error", (err) => logger.warn({ err: err.message }, "redis connection error; reconnecting"));
  const worker = new Worker<PostsJobData>(POSTS_QUEUE, handle, {
    connection,
    prefix: options.prefix ?? env.QUEUE_PREFIX,
    concurrency: options.concurrency ?? env.WORKER_CONCURRENCY,
    // Per-minute completed/failed counts kept by BullMQ itself (queue.getMetrics), for Bull Board.
    metrics: { maxDataPoints: 60 * 24 },
    // A killed worker's job is picked up again after the lock expires (stalled-job recovery).
    lockDuration: env.WORKER_LOCK_DURATION_MS,
    stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: 2,
  });
  worker.on("error", (err) => logger.error({ err }, "worker error"));
  // A job that stalled too often fails without reaching the processor's catch: record it here.
  worker.on("failed", (job, err) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const payload = processPostPayloadSchema.safeParse(job.data);
    if (payload.success) void recordFailure(payload.data, err.message, true).catch(() => {});
  });

  const sweepIntervalMs = options.sweepIntervalMs ?? 15_000;
  const sweepAfterSeconds = options.sweepAfterSeconds ?? 30;
  const sweep = async () => {
    try {
      const waiting = await listPostsAwaitingProcessing(sweepAfterSeconds, 500);
      for (const payload of waiting) await enqueueProcessPost(payload);
      if (waiting.length > 0) logger.info({ count: waiting.length }, "re-enqueued posts left queued");
      // Scheduled posts whose delayed job is overdue (lost with a Redis that kept nothing) publish now.
      const overdue = await listOverdueScheduledPosts(sweepAfterSeconds, 100);
      for (const { postId } of overdue) await publishScheduledPost(postId, null);
      if (overdue.length > 0) logger.info({ count: overdue.length }, "published overdue scheduled posts");
    } catch (err) {
      logger.warn({ err }, "sweep failed; will try again");
    }
  };
  const timer = sweepIntervalMs > 0 ? setInterval(() => void sweep(), sweepIntervalMs) : undefined;
  timer?.unref();

  const prefix = options.prefix ?? env.QUEUE_PREFIX;
  const concurrency = options.concurrency ?? env.WORKER_CONCURRENCY;
  const id = workerId();
  const beat = async () => {
    try {
      await writeHeartbeat(connection, prefix, { id, at: new Date().toISOString(), concurrency, metrics: await workerRegistry.getMetricsAsJSON() });
    } catch (err) {
      logger.debug({ err }, "heartbeat skipped");
    }
  };
  void beat();
  const heartbeat = setInterval(() => void beat(), options.heartbeatIntervalMs ?? 10_000);
  heartbeat.unref();

  return {
    worker,
    async close() {
      if (timer) clearInterval(timer);
      clearInterval(heartbeat);
      await worker.close();
      await removeHeartbeat(connection, prefix, id).catch(() => {});
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
