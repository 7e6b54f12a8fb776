import { UnrecoverableError, Worker, type Job } from "bullmq";
import { env } from "@/server/env.js";
import {
  POSTS_QUEUE,
  PROCESS_POST_JOB,
  PUBLISH_POST_JOB,
  RERENDER_POSTS_JOB,
  createRedis,
  processPostPayloadSchema,
  publishPostPayloadSchema,
  rerenderPostsPayloadSchema,
  type PostsJobData,
} from "@/server/jobs/contract";
import { enqueueProcessPost, enqueueRerenderPosts } from "@/server/jobs/producer";
import { logger as rootLogger } from "@/server/logger";
import { removeHeartbeat, workerId, writeHeartbeat } from "@/server/jobs/heartbeat";
import { requestContext } from "@/server/request-context";
import { readPayload } from "./contract-guard";
import { jobDuration, jobOutcomes, rerenderedPosts, workerRegistry } from "./metrics";
import { listOverdueScheduledPosts, listPostsAwaitingProcessing, publishScheduledPost } from "@/server/posts/service";
import { processPost, recordFailure } from "@/server/posts/process-post";
import { RENDER_ENGINE_VERSION } from "@/server/render";
import { RenderTooComplexError, renderInThread } from "@/server/render/pool";
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
    if (job.name === RERENDER_POSTS_JOB) return rerenderJob(job, token);
    throw new UnrecoverableError(`unknown job ${job.name}`);
  });
}

async function processJob(job: Job<PostsJobData>, token: string | undefined): Promise<string> {
  const payload = await readPayload(job, token, processPostPayloadSchema);
  const log = logger.child({ postId: payload.postId, version: payload.version });
  const stopTimer = jobDuration.startTimer();
  try {
    const outcome = await processPost(payload).catch((err: unknown) => {
      // The same text fails the same way on every attempt: fail the job now, with the reason for the writer.
      throw err instanceof RenderTooComplexError ? new UnrecoverableError(err.message) : err;
    });
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

/** Walks the posts table by id, re-rendering what an older engine made; progress in the job, logs and metrics. */
async function rerenderJob(job: Job<PostsJobData>, token: string | undefined): Promise<string> {
  const payload = await readPayload(job, token, rerenderPostsPayloadSchema);
  // Another deploy's engine (a rolling upgrade): that deploy's workers do its job.
  if (payload.engine !== RENDER_ENGINE_VERSION) return "skipped";
  const log = logger.child({ job: RERENDER_POSTS_JOB, engine: RENDER_ENGINE_VERSION });
  const progress = { rerendered: 0, skipped: 0, cursor: null as string | null };
  const onSkip = (postId: string, err: unknown) => {
    if (err) log.warn({ postId, err: err instanceof Error ? err.message : String(err) }, "rerender-posts kept a post's previous rendering");
  };
  for (;;) {
    const batch = await rerenderBatch(renderInThread, progress.cursor, RERENDER_BATCH_SIZE, onSkip);
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
  return `rerendered ${progress.rerendered}, skipped ${progress.skipped}`;
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

  if (options.rerenderOnStart) {
    void enqueueRerenderPosts({ engine: RENDER_ENGINE_VERSION }).catch((err: unknown) => logger.warn({ err }, "could not enqueue rerender-posts; the next start tries again"));
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
