import { Redis, type RedisOptions } from "ioredis";
import type { DefaultJobOptions } from "bullmq";
import { z } from "zod";
import { postStatuses, postVisibilities } from "@/lib/validations/post";

// The job contract shared by the web (producer) and the worker (consumer). Payloads carry ids only:
// the database row is the source of truth. No Next-only imports: the worker loads this file.

// --- Contract versions: during a rolling deploy, web and workers of two releases share the queues ---

/**
 * The version of this job contract, stamped on every payload (withContractVersion). Rules:
 * - adding an optional field needs no new version: readers ignore fields they do not know (zod's
 *   objects drop them), so a worker of the previous release processes the job as before;
 * - a change an older worker must not process (a required field, a new `kind`, a field whose meaning
 *   changes) gets a new version and must fail the older schema (use a new field name), so that
 *   parseJobPayload tells the older worker to leave the job for a newer one instead of failing it.
 */
// 2: change-email jobs carry no address (the account's pending_email holds it); a version-1 worker
//    cannot read them and leaves them for a newer one.
export const JOB_CONTRACT_VERSION = 2;

/** A payload as enqueued: stamped with the contract version of the release that wrote it. */
export function withContractVersion<T extends object>(payload: T): T & { contractVersion: number } {
  return { ...payload, contractVersion: JOB_CONTRACT_VERSION };
}

const stampedVersionSchema = z.object({ contractVersion: z.number().int().positive().optional() });

export type ParsedJobPayload<T> =
  | { outcome: "ok"; data: T }
  /** Written by a newer release and not readable here: leave the job for a newer worker. */
  | { outcome: "newer"; contractVersion: number; error: string }
  | { outcome: "invalid"; error: string };

/** Reads a job's payload with its schema, telling a newer release's payload from a broken one. */
export function parseJobPayload<T>(schema: z.ZodType<T>, data: unknown): ParsedJobPayload<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { outcome: "ok", data: parsed.data };
  const stamped = stampedVersionSchema.safeParse(data);
  // Jobs enqueued before payloads carried a version are version 1.
  const contractVersion = (stamped.success && stamped.data.contractVersion) || 1;
  const error = z.prettifyError(parsed.error);
  return contractVersion > JOB_CONTRACT_VERSION ? { outcome: "newer", contractVersion, error } : { outcome: "invalid", error };
}

export const POSTS_QUEUE = "posts";
export const PROCESS_POST_JOB = "process-post";

export const processPostPayloadSchema = z.object({
  postId: z.uuid(),
  version: z.number().int().positive(),
  /** The API request that enqueued the job, so its log lines and the worker's can be joined. */
  requestId: z.string().max(64).optional(),
});
export type ProcessPostPayload = z.infer<typeof processPostPayloadSchema>;

/** Publishes a scheduled post when its time comes (a delayed job). */
export const PUBLISH_POST_JOB = "publish-post";

export const publishPostPayloadSchema = z.object({
  postId: z.uuid(),
  /** The schedule the job was made for; a rescheduled or cancelled post ignores it. */
  scheduledAt: z.iso.datetime(),
});
export type PublishPostPayload = z.infer<typeof publishPostPayloadSchema>;

export function publishPostJobId({ postId, scheduledAt }: PublishPostPayload): string {
  return `publish-${postId}-${new Date(scheduledAt).getTime()}`;
}

/**
 * Renders again, with the current render engine, the stored renderings of posts an older engine made
 * (server/posts/rerender.ts). Every worker enqueues it at start; the job id is per engine, so the workers
 * of one deploy share one job, which walks the posts table in batches.
 */
export const RERENDER_POSTS_JOB = "rerender-posts";

export const rerenderPostsPayloadSchema = z.object({ engine: z.number().int().positive() });
export type RerenderPostsPayload = z.infer<typeof rerenderPostsPayloadSchema>;

export function rerenderPostsJobId({ engine }: RerenderPostsPayload): string {
  return `rerender-posts-engine-${engine}`;
}

/** Why a version is (re)processed: an edit, or publishing an already processed version. */
export type ProcessPostReason = "save" | "publish";

/**
 * One job per post version and reason: repeated enqueues of the same version collapse into the pending
 * job. Publishing gets its own id so it is not swallowed by a save job that is just finishing.
 */
export function processPostJobId({ postId, version }: Pick<ProcessPostPayload, "postId" | "version">, reason: ProcessPostReason = "save"): string {
  return reason === "save" ? `post-${postId}-v${version}` : `post-${postId}-v${version}-${reason}`;
}

export const processPostJobOptions = {
  // 1 s, 2 s, 4 s … with jitter: about two minutes of retries ride out a database failover or restart.
  attempts: 8,
  backoff: { type: "exponential", delay: 1_000, jitter: 0.5 },
  // Completed jobs are dropped at once so a later enqueue of the same id (publish, retry) is not
  // swallowed by the dedupe; failed ones stay a week for inspection.
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} satisfies DefaultJobOptions;

/** What the worker and the web tell the writer's open pages when a post's state changes. */
export const postStatusEventSchema = z.object({
  postId: z.uuid(),
  authorId: z.uuid(),
  version: z.number().int().positive(),
  status: z.enum(postStatuses),
  visibility: z.enum(postVisibilities),
  error: z.string().nullable(),
  /** What the change did to the public site, if anything (server/cache/tags.ts, ReaderChange). */
  readers: z.enum(["added", "updated", "removed"]).optional(),
  at: z.string(),
});
export type PostStatusEvent = z.infer<typeof postStatusEventSchema>;

export function postStatusChannel(prefix: string): string {
  return `${prefix}:post-status`;
}

type RedisRole = "producer" | "worker" | "subscriber";

/**
 * The producer fails fast (no offline queue), so a save never hangs on a Redis outage; the worker's and
 * the subscriber's connections wait and reconnect with backoff, as BullMQ requires for blocking clients.
 */
export function createRedis(url: string, role: RedisRole): Redis {
  const common: RedisOptions = {
    connectionName: `inkwell-${role}`,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  };
  if (role === "producer") {
    return new Redis(url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  }
  // A subscriber needs no ready check (SUBSCRIBE works while Redis loads its data), and ioredis may
  // send a queued SUBSCRIBE before the check's INFO, which then fails in subscriber mode and drops
  // the connection (seen on Node 22: a test's subscription never heard anything).
  if (role === "subscriber") return new Redis(url, { ...common, maxRetriesPerRequest: null, enableReadyCheck: false });
  return new Redis(url, { ...common, maxRetriesPerRequest: null });
}

// --- The accounts queue: outbound mail and the sweep of never-verified accounts ---

export const ACCOUNTS_QUEUE = "accounts";
export const SEND_MAIL_JOB = "send-mail";
/** Repeatable (a BullMQ job scheduler the worker upserts at start): deletes accounts never verified. */
export const SWEEP_UNVERIFIED_JOB = "sweep-unverified-accounts";
export const SWEEP_UNVERIFIED_SCHEDULER_ID = "sweep-unverified-accounts";

/**
 * Which mail to send. Ids (and, for a reset, the address asked about) only: the worker reads the account
 * and issues the link's token itself, so no usable token ever sits in Redis, and the web does the same
 * work whatever the account's state. No job carries an address a link could be sent to: a job added by
 * hand (or forged through the queue dashboard) can only mail an account's own address or the new
 * address its writer asked for.
 */
export const sendMailPayloadSchema = z.discriminatedUnion("kind", [
  /** Sign-up: the link that verifies the address (also re-sent when a pending account signs up again). */
  z.object({ kind: z.literal("verify-email"), userId: z.uuid() }),
  /** Someone signed up with an address that already has an account. */
  z.object({ kind: z.literal("account-exists"), userId: z.uuid() }),
  /** "Forgot password": sent only to the account with this address, if any; nothing otherwise. */
  z.object({ kind: z.literal("reset-password"), email: z.string().max(254) }),
  /** Settings: the link that switches the account to the new address it asked for (kept on the account). */
  z.object({ kind: z.literal("change-email"), userId: z.uuid() }),
]);
export type SendMailPayload = z.infer<typeof sendMailPayloadSchema>;

export const sendMailJobOptions = {
  // 2 s, 4 s, 8 s … about 17 minutes in all: rides out an SMTP server restart or greylisting.
  attempts: 10,
  backoff: { type: "exponential", delay: 2_000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} satisfies DefaultJobOptions;

/** The sweep reads the accounts table; its payload carries nothing. */
export const sweepUnverifiedPayloadSchema = z.object({});
