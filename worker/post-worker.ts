import { UnrecoverableError, Worker, type Job } from "bullmq";
import { env } from "@/server/env.js";
import { POSTS_QUEUE, RERENDER_POSTS_JOB, createRedis, processPostPayloadSchema, type ProcessPostPayload, type PublishPostPayload, type RerenderPostsPayload } from "@/server/jobs/contract";
import { enqueue, enqueueProcessPost } from "@/server/jobs/queues";
import { logger as rootLogger } from "@/server/logger";
import { removeHeartbeat, workerId, writeHeartbeat } from "@/server/jobs/heartbeat";
import { createJobProcessor, isFinalAttempt } from "./job-processor";
import { rerenderedPosts, workerRegistry } from "./metrics";
import { publishScheduledPost } from "@/server/posts/publishing";
import { listOverdueScheduledPosts, listPostsAwaitingProcessing } from "@/server/posts/sweeps";
import { processPost, recordFailure } from "@/server/posts/process-post";
import { RENDER_ENGINE_VERSION } from "@/server/render";
import { RenderTooComplexError } from "@/server/render/pool";
import { renderForJob } from "@/server/render/inline";
import { rerenderBatch } from "@/server/posts/rerender";

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
  /** Enqueue the re-rendering of posts an older render engine made (worker/index.ts does; tests call it directly). */
  rerenderOnStart?: boolean;
}

/** Posts per batch of `rerender-posts`: each is rendered, then written by one UPDATE of its own. */
const RERENDER_BATCH_SIZE = 50;

export interface PostWorker {
  worker: Worker;
  /** Stops taking jobs, waits for the ones in hand, closes its Redis connection. */
  close(): Promise<void>;
}

async function processJob(payload: ProcessPostPayload, job: Job): Promise<string> {
  const log = logger.child({ postId: payload.postId, version: payload.version });
  const startedAt = performance.now();
  try {
    const outcome = await processPost(payload).catch((err: unknown) => {
      // The same text fails the same way on every attempt: fail the job now, with the reason for the writer.
      throw err instanceof RenderTooComplexError ? new UnrecoverableError(err.message) : err;
    });
    // waitedMs: from enqueue to this attempt's start (queue latency; includes backoff on retries).
    log.info({ outcome, ms: Math.round(performance.now() - startedAt), waitedMs: job.processedOn ? job.processedOn - job.timestamp : null }, "process-post done");
    return outcome;
  } catch (err) {
    const final = isFinalAttempt(job, err);
    const reason = err instanceof Error ? err.message : String(err);
    log.warn({ err, attempt: job.attemptsMade + 1, final }, "process-post failed");
    await recordFailure(payload, reason, final).catch((e: unknown) => log.error({ err: e }, "could not record the failure"));
    throw err;
  }
}

/** A scheduled post's time has come: publish it (once; stale schedules are ignored). */
async function publishJob(payload: PublishPostPayload): Promise<string> {
  const published = await publishScheduledPost(payload.postId, new Date(payload.scheduledAt));
  logger.info({ postId: payload.postId, scheduledAt: payload.scheduledAt, published }, "publish-post done");
  return published ? "published" : "skipped";
}

/** Walks the posts table by id, re-rendering what an older engine made; progress in the job, logs and metrics. */
async function rerenderJob(payload: RerenderPostsPayload, job: Job): Promise<string> {
  // Another deploy's engine (a rolling upgrade): that deploy's workers do its job.
  if (payload.engine !== RENDER_ENGINE_VERSION) return "skipped";
  const log = logger.child({ job: RERENDER_POSTS_JOB, engine: RENDER_ENGINE_VERSION });
  const progress = { rerendered: 0, skipped: 0, cursor: null as string | null };
  const onSkip = (postId: string, err: unknown) => {
    if (err) log.warn({ postId, err: err instanceof Error ? err.message : String(err) }, "rerender-posts kept a post's previous rendering");
  };
  for (;;) {
    const batch = await rerenderBatch(renderForJob, progress.cursor, RERENDER_BATCH_SIZE, onSkip);
    if (batch.lastId === null) break;
    progress.rerendered += batch.rerendered;
    progress.skipped += batch.skipped;
    progress.cursor = batch.lastId;
    rerenderedPosts.inc({ outcome: "rerendered" }, batch.rerendered);
    rerenderedPosts.inc({ outcome: "skipped" }, batch.skipped);
    await job.updateProgress(progress);
    log.info(progress, "rerender-posts progress");
  }
  log.info(progress, "rerender-posts done");
  return "done";
}

const processPostsJob = createJobProcessor(POSTS_QUEUE, {
  "process-post": processJob,
  "publish-post": publishJob,
  "rerender-posts": rerenderJob,
});

export function createPostWorker(options: PostWorkerOptions = {}): PostWorker {
  const connection = createRedis(env.REDIS_URL, "worker");
  connection.on("error", (err) => logger.warn({ err: err.message }, "redis connection error; reconnecting"));
  const worker = new Worker(POSTS_QUEUE, processPostsJob, {
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

  if (options.rerenderOnStart) {
    // A failed job of the same id (taken by a worker of the previous release during a rolling deploy,
    // which does not know it) is replaced, so this start runs it again.
    void enqueue(RERENDER_POSTS_JOB, { engine: RENDER_ENGINE_VERSION }, { replaceFailed: true }).catch((err: unknown) => logger.warn({ err }, "could not enqueue rerender-posts; the next start tries again"));
  }

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
