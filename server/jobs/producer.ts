import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { env } from "../env.js";
import { currentRequestId } from "../request-context";
import {
  ACCOUNTS_QUEUE,
  SEND_MAIL_JOB,
  sendMailJobOptions,
  type AccountsJobData,
  type SendMailPayload,
  POSTS_QUEUE,
  PROCESS_POST_JOB,
  PUBLISH_POST_JOB,
  RERENDER_POSTS_JOB,
  publishPostJobId,
  rerenderPostsJobId,
  type RerenderPostsPayload,
  type PostsJobData,
  type PublishPostPayload,
  createRedis,
  postStatusChannel,
  withContractVersion,
  processPostJobId,
  processPostJobOptions,
  type PostStatusEvent,
  type ProcessPostReason,
  type ProcessPostPayload,
} from "./contract";

// The web side of the queue: enqueues `process-post` and announces status changes. Connections are
// made on first use (never at import, so `next build` needs no Redis) and cached across hot reloads.

type Producer = { redis: Redis; queue: Queue<PostsJobData>; accounts: Queue<AccountsJobData> };
const globalForProducer = globalThis as unknown as { inkwellProducer?: Producer };

function producer(): Producer {
  if (!globalForProducer.inkwellProducer) {
    const redis = createRedis(env.REDIS_URL, "producer");
    // Errors surface on the commands that fail; without a listener ioredis would also print them all.
    redis.on("error", () => {});
    const queue = new Queue<PostsJobData>(POSTS_QUEUE, {
      connection: redis,
      prefix: env.QUEUE_PREFIX,
      defaultJobOptions: processPostJobOptions,
    });
    queue.on("error", () => {});
    const accounts = new Queue<AccountsJobData>(ACCOUNTS_QUEUE, { connection: redis, prefix: env.QUEUE_PREFIX, defaultJobOptions: sendMailJobOptions });
    accounts.on("error", () => {});
    globalForProducer.inkwellProducer = { redis, queue, accounts };
  }
  return globalForProducer.inkwellProducer;
}

/**
 * The producer fails fast instead of queueing commands offline. Only a connection that has not been
 * established yet is waited for, briefly; one that was lost fails at once, so a save never waits on
 * a Redis outage (the worker's sweep enqueues what could not be enqueued).
 */
async function ready(redis: Redis): Promise<void> {
  if (redis.status === "ready") return;
  if (redis.status !== "wait" && redis.status !== "connecting" && redis.status !== "connect") {
    throw new Error(`Redis is not reachable (${redis.status})`);
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error("Redis is not reachable"));
    }, 2_000);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off("ready", onReady);
    };
    redis.on("ready", onReady);
  });
}

/**
 * Enqueues processing of one post version. Idempotent: the job id is derived from post and version, so a
 * pending job absorbs repeats. A failed job of the same id is removed first so a retry really runs;
 * `newVersion` (the caller's transaction just created the version, so no job can have its id yet)
 * skips that look-up, a Redis round trip on every save.
 */
export async function enqueueProcessPost(
  payload: ProcessPostPayload,
  reason: ProcessPostReason = "save",
  options: { newVersion?: boolean } = {},
): Promise<void> {
  const { redis, queue } = producer();
  await ready(redis);
  const jobId = processPostJobId(payload, reason);
  if (!options.newVersion) {
    const existing = await queue.getJob(jobId);
    if (existing && (await existing.isFailed())) await existing.remove();
  }
  await queue.add(PROCESS_POST_JOB, withContractVersion({ ...payload, requestId: payload.requestId ?? currentRequestId() }), { jobId });
}

/** Schedules publication: a delayed job that survives worker restarts (it lives in Redis). */
export async function enqueuePublishPost(payload: PublishPostPayload): Promise<void> {
  const { redis, queue } = producer();
  await ready(redis);
  const delay = Math.max(0, new Date(payload.scheduledAt).getTime() - Date.now());
  await queue.add(PUBLISH_POST_JOB, withContractVersion(payload), { jobId: publishPostJobId(payload), delay });
}

/** Hands a mail to the worker (which retries with backoff); the request never waits on SMTP. */
/**
 * Enqueues the re-rendering of posts an older render engine made. A job of the same id that is still
 * waiting or running absorbs it; a finished one was removed, and a failed one (for instance taken by a
 * worker of the previous release during a rolling deploy, which does not know the job) is removed here,
 * so the next worker start runs it again.
 */
export async function enqueueRerenderPosts(payload: RerenderPostsPayload): Promise<void> {
  const { redis, queue } = producer();
  await ready(redis);
  const jobId = rerenderPostsJobId(payload);
  const existing = await queue.getJob(jobId);
  if (existing && (await existing.isFailed())) await existing.remove();
  await queue.add(RERENDER_POSTS_JOB, withContractVersion(payload), { jobId, attempts: 3 });
}

export async function enqueueMail(payload: SendMailPayload): Promise<void> {
  const { redis, accounts } = producer();
  await ready(redis);
  await accounts.add(SEND_MAIL_JOB, withContractVersion(payload));
}

/** The accounts queue (mail, sweeps), for the operators' dashboard and tests. */
export function accountsQueue(): Queue<AccountsJobData> {
  return producer().accounts;
}

/** Tells the writer's open pages about a status change. Best effort: the page also refetches. */
export async function announcePostStatus(event: PostStatusEvent): Promise<void> {
  const { redis } = producer();
  await ready(redis);
  await redis.publish(postStatusChannel(env.QUEUE_PREFIX), JSON.stringify(event));
}

/** The queue itself, for the operators' dashboard. */
export function processPostQueue(): Queue<PostsJobData> {
  return producer().queue;
}

/** The producer's Redis connection, connected (health and metrics read through it). */
export async function producerRedis(): Promise<Redis> {
  const { redis } = producer();
  await ready(redis);
  return redis;
}

/** Queue depths for the health check; throws when Redis does not answer. */
export async function queueDepths(): Promise<{ waiting: number; active: number; delayed: number; failed: number }> {
  const { redis, queue } = producer();
  await ready(redis);
  const counts = await queue.getJobCounts("waiting", "active", "delayed", "failed");
  return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
}

/** Closes the producer's connections (tests and scripts; the web server keeps them for its lifetime). */
export async function closeProducer(): Promise<void> {
  const current = globalForProducer.inkwellProducer;
  if (!current) return;
  globalForProducer.inkwellProducer = undefined;
  await current.queue.close();
  await current.accounts.close();
  await current.redis.quit().catch(() => current.redis.disconnect());
}
