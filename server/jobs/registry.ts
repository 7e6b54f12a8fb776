import type { DefaultJobOptions, JobsOptions } from "bullmq";
import type { z } from "zod";
import {
  ACCOUNTS_QUEUE,
  POSTS_QUEUE,
  PROCESS_POST_JOB,
  PUBLISH_POST_JOB,
  RERENDER_POSTS_JOB,
  SEND_MAIL_JOB,
  SWEEP_UNVERIFIED_JOB,
  processPostJobOptions,
  processPostPayloadSchema,
  publishPostJobId,
  publishPostPayloadSchema,
  rerenderPostsJobId,
  rerenderPostsPayloadSchema,
  sendMailJobOptions,
  sendMailPayloadSchema,
  sweepUnverifiedPayloadSchema,
} from "./contract";
import {
  ANALYSE_IMPORT_JOB,
  BUILD_EXPORT_JOB,
  PORTABILITY_QUEUE,
  RUN_IMPORT_JOB,
  analyseImportJobId,
  buildExportJobId,
  exportJobPayloadSchema,
  importJobPayloadSchema,
  portabilityJobOptions,
  runImportJobId,
} from "./portability-contract";
import {
  NEWSLETTER_QUEUE,
  SEND_BATCH_JOB,
  SEND_CONFIRMATION_JOB,
  SEND_POST_JOB,
  SEND_TEST_JOB,
  newsletterJobOptions,
  sendBatchJobId,
  sendBatchPayloadSchema,
  sendConfirmationPayloadSchema,
  sendPostJobId,
  sendPostPayloadSchema,
  sendTestPayloadSchema,
} from "./newsletter-contract";
import {
  COLLECT_UNUSED_IMAGES_JOB,
  COPY_REMOTE_IMAGE_JOB,
  MEDIA_QUEUE,
  PROCESS_IMAGE_JOB,
  collectUnusedImagesPayloadSchema,
  copyRemoteImageJobId,
  copyRemoteImagePayloadSchema,
  mediaJobOptions,
  processImageJobId,
  processImagePayloadSchema,
} from "./media-contract";

// Every job type in one table: its queue, its payload schema, its default options and how its id is
// derived. The producer (server/jobs/queues.ts) enqueues by job name with a payload the compiler checks
// against the schema, and each queue's worker must give a handler for every job of its queue
// (worker/job-processor.ts) — so adding a job type is one entry here and one handler there.

/** The queues and the options their jobs get unless their definition says otherwise. */
export const queues = {
  [POSTS_QUEUE]: { defaultJobOptions: processPostJobOptions },
  [ACCOUNTS_QUEUE]: { defaultJobOptions: sendMailJobOptions },
  [PORTABILITY_QUEUE]: { defaultJobOptions: portabilityJobOptions },
  [NEWSLETTER_QUEUE]: { defaultJobOptions: newsletterJobOptions },
  [MEDIA_QUEUE]: { defaultJobOptions: mediaJobOptions },
} as const satisfies Record<string, { defaultJobOptions: DefaultJobOptions }>;

export type QueueName = keyof typeof queues;

export interface JobDefinition<Q extends QueueName, S extends z.ZodType> {
  queue: Q;
  /** Ids only: the database row is the source of truth. */
  schema: S;
  /** Options for this job type, over the queue's defaults. */
  options?: JobsOptions;
  /** A deterministic id, so that repeated enqueues of the same work collapse into one job. */
  jobId?: (payload: z.infer<S>) => string;
}

function defineJob<Q extends QueueName, S extends z.ZodType>(definition: JobDefinition<Q, S>): JobDefinition<Q, S> {
  return definition;
}

export const jobs = {
  /** Renders, indexes and (when asked) publishes one version of a post. */
  [PROCESS_POST_JOB]: defineJob({ queue: POSTS_QUEUE, schema: processPostPayloadSchema }),
  /** A scheduled post's time has come (a delayed job). */
  [PUBLISH_POST_JOB]: defineJob({ queue: POSTS_QUEUE, schema: publishPostPayloadSchema, jobId: publishPostJobId }),
  /** Renders again what an older render engine made; one job per engine, shared by a deploy's workers. */
  [RERENDER_POSTS_JOB]: defineJob({ queue: POSTS_QUEUE, schema: rerenderPostsPayloadSchema, jobId: rerenderPostsJobId, options: { attempts: 3 } }),
  /** Account mail: the worker issues the link's token itself. */
  [SEND_MAIL_JOB]: defineJob({ queue: ACCOUNTS_QUEUE, schema: sendMailPayloadSchema }),
  /** Repeatable: deletes accounts never verified (a job scheduler the accounts worker upserts). */
  [SWEEP_UNVERIFIED_JOB]: defineJob({ queue: ACCOUNTS_QUEUE, schema: sweepUnverifiedPayloadSchema, options: { removeOnComplete: 100, removeOnFail: 100 } }),
  /** Reads an uploaded archive and writes the dry-run summary. */
  [ANALYSE_IMPORT_JOB]: defineJob({ queue: PORTABILITY_QUEUE, schema: importJobPayloadSchema, jobId: analyseImportJobId }),
  /** Imports the archive's posts, resuming by their import keys after a crash. */
  [RUN_IMPORT_JOB]: defineJob({ queue: PORTABILITY_QUEUE, schema: importJobPayloadSchema, jobId: runImportJobId }),
  /** Streams a writer's archive into a zip and mails the link. */
  [BUILD_EXPORT_JOB]: defineJob({ queue: PORTABILITY_QUEUE, schema: exportJobPayloadSchema, jobId: buildExportJobId }),
  /** One per emailed post: waits until the post is live, fixes its recipients, enqueues the batches. */
  [SEND_POST_JOB]: defineJob({ queue: NEWSLETTER_QUEUE, schema: sendPostPayloadSchema, jobId: sendPostJobId }),
  /** Up to NEWSLETTER_BATCH_SIZE recipients of one post; the delivery rows say who is left. */
  [SEND_BATCH_JOB]: defineJob({ queue: NEWSLETTER_QUEUE, schema: sendBatchPayloadSchema, jobId: sendBatchJobId }),
  /** The writer's test send to their own address. */
  [SEND_TEST_JOB]: defineJob({ queue: NEWSLETTER_QUEUE, schema: sendTestPayloadSchema, options: { attempts: 3 } }),
  /** A subscription's double opt-in link (the worker issues the token). */
  [SEND_CONFIRMATION_JOB]: defineJob({ queue: NEWSLETTER_QUEUE, schema: sendConfirmationPayloadSchema }),
  /** Makes the variants of one original (one job per content hash, whoever uploaded it). */
  [PROCESS_IMAGE_JOB]: defineJob({ queue: MEDIA_QUEUE, schema: processImagePayloadSchema, jobId: processImageJobId }),
  /** Fetches a remote image into a writer's library, then hands it to process-image. */
  [COPY_REMOTE_IMAGE_JOB]: defineJob({ queue: MEDIA_QUEUE, schema: copyRemoteImagePayloadSchema, jobId: copyRemoteImageJobId }),
  /** Repeatable (the media worker's job scheduler): removes images unused for 30 days. */
  [COLLECT_UNUSED_IMAGES_JOB]: defineJob({ queue: MEDIA_QUEUE, schema: collectUnusedImagesPayloadSchema, options: { removeOnComplete: 30, removeOnFail: 30 } }),
};

type Jobs = typeof jobs;
export type JobName = keyof Jobs;
export type JobPayload<N extends JobName> = z.infer<Jobs[N]["schema"]>;
/** The names of the jobs a queue carries. */
export type JobNameOf<Q extends QueueName> = { [N in JobName]: Jobs[N]["queue"] extends Q ? N : never }[JobName];

export function isJobOf<Q extends QueueName>(queue: Q, name: string): name is JobNameOf<Q> {
  return Object.hasOwn(jobs, name) && jobs[name as JobName].queue === queue;
}
