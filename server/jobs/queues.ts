import { Queue, type JobsOptions } from "bullmq";
import { env } from "../env.js";
import { currentRequestId } from "../request-context";
import { processPostJobId, withContractVersion, type ProcessPostPayload, type ProcessPostReason, type PublishPostPayload, type SendMailPayload } from "./contract";
import { jobs, queues, type JobName, type JobPayload, type QueueName } from "./registry";
import { onCloseSharedRedis, sharedRedis, sharedRedisConnection } from "./redis";

// The producer side of every queue: enqueue a job by name with a payload its schema types. Queue
// handles are made on first use over the shared connection and cached across hot reloads.

const globalForQueues = globalThis as unknown as { inkwellQueues?: Map<QueueName, Queue> };

/** The BullMQ queue of that name (the operators' dashboard and tests read it too). */
export function queue(name: QueueName): Queue {
  const open = (globalForQueues.inkwellQueues ??= new Map());
  let handle = open.get(name);
  if (!handle) {
    handle = new Queue(name, { connection: sharedRedisConnection(), prefix: env.QUEUE_PREFIX, defaultJobOptions: queues[name].defaultJobOptions });
    handle.on("error", () => {});
    open.set(name, handle);
    if (open.size === 1) onCloseSharedRedis(closeQueues);
  }
  return handle;
}

async function closeQueues(): Promise<void> {
  const open = globalForQueues.inkwellQueues;
  globalForQueues.inkwellQueues = undefined;
  for (const handle of open?.values() ?? []) await handle.close();
}

export interface EnqueueOptions extends JobsOptions {
  /**
   * A failed job of the same id is removed first, so a retry really runs (BullMQ would otherwise keep
   * the failed one and ignore the add). Costs a Redis round trip; skip it when the id cannot exist yet.
   */
  replaceFailed?: boolean;
}

/** Enqueues a job: stamped with the contract version, with its definition's id and options. */
export async function enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<void> {
  await sharedRedis();
  const definition = jobs[name];
  const { replaceFailed, ...jobOptions } = options;
  const jobId = jobOptions.jobId ?? (definition.jobId as ((payload: JobPayload<N>) => string) | undefined)?.(payload);
  const target = queue(definition.queue);
  if (replaceFailed && jobId) {
    const existing = await target.getJob(jobId);
    if (existing && (await existing.isFailed())) await existing.remove();
  }
  await target.add(name, withContractVersion(payload), { ...definition.options, ...jobOptions, jobId });
}

/**
 * Enqueues many jobs of one name in one Redis round trip, each as `enqueue` would (contract version, the
 * definition's options, its id or the one given). For ids that cannot exist yet: no failed-job look-up.
 */
export async function enqueueBulk<N extends JobName>(name: N, items: readonly { payload: JobPayload<N>; jobId?: string }[]): Promise<void> {
  if (items.length === 0) return;
  await sharedRedis();
  const definition = jobs[name];
  const idOf = definition.jobId as ((payload: JobPayload<N>) => string) | undefined;
  await queue(definition.queue).addBulk(
    items.map(({ payload, jobId }) => ({ name, data: withContractVersion(payload), opts: { ...definition.options, jobId: jobId ?? idOf?.(payload) } })),
  );
}

/**
 * Enqueues processing of one post version. Idempotent: the job id is derived from post, version and
 * reason, so a pending job absorbs repeats. `newVersion` (the caller's transaction just created the
 * version, so no job can have its id yet) skips the look-up of a failed job, a round trip on every save.
 */
export async function enqueueProcessPost(payload: ProcessPostPayload, reason: ProcessPostReason = "save", options: { newVersion?: boolean } = {}): Promise<void> {
  await enqueue("process-post", { ...payload, requestId: payload.requestId ?? currentRequestId() }, { jobId: processPostJobId(payload, reason), replaceFailed: !options.newVersion });
}

/**
 * Enqueues processing of many new post versions in one Redis round trip (an import's batch). Like
 * enqueueProcessPost with `newVersion`: the versions were just created, so no failed job can share an id.
 */
export async function enqueueNewVersions(payloads: ProcessPostPayload[]): Promise<void> {
  const requestId = currentRequestId();
  await enqueueBulk(
    "process-post",
    payloads.map((payload) => ({ payload: { ...payload, requestId: payload.requestId ?? requestId }, jobId: processPostJobId(payload, "save") })),
  );
}

/** Schedules publication: a delayed job that survives worker restarts (it lives in Redis). */
export async function enqueuePublishPost(payload: PublishPostPayload): Promise<void> {
  await enqueue("publish-post", payload, { delay: Math.max(0, new Date(payload.scheduledAt).getTime() - Date.now()) });
}

/** Hands a mail to the worker (which retries with backoff); the request never waits on SMTP. */
export async function enqueueMail(payload: SendMailPayload): Promise<void> {
  await enqueue("send-mail", payload);
}

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** How much work the posts queue holds (health and metrics). */
export async function queueDepths(name: QueueName = "posts"): Promise<QueueDepth> {
  await sharedRedis();
  const counts = await queue(name).getJobCounts("waiting", "active", "delayed", "failed");
  return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
}
