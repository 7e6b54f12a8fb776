import type { DefaultJobOptions } from "bullmq";
import { z } from "zod";

// The media queue's contract, shared by the web (server/media/queue.ts) and the worker
// (worker/media-worker.ts); the registry (registry.ts) lists these job types. Payloads carry a content hash or an id only: the database rows and the
// stored original are the source of truth. No Next-only imports.

export const MEDIA_QUEUE = "media";

/** Makes the variants of one original; every writer's row with that content hash gets the result. */
export const PROCESS_IMAGE_JOB = "process-image";
export const processImagePayloadSchema = z.object({ contentHash: z.string().regex(/^[0-9a-f]{64}$/) });
export type ProcessImagePayload = z.infer<typeof processImagePayloadSchema>;
/** One job per content: uploading the same bytes again (any writer) joins the pending job. */
export const processImageJobId = (payload: ProcessImagePayload) => `process-image-${payload.contentHash}`;

/** Fetches a remote image into a writer's library (then process-image). */
export const COPY_REMOTE_IMAGE_JOB = "copy-remote-image";
export const copyRemoteImagePayloadSchema = z.object({ imageId: z.uuid() });
export type CopyRemoteImagePayload = z.infer<typeof copyRemoteImagePayloadSchema>;
export const copyRemoteImageJobId = (payload: CopyRemoteImagePayload) => `copy-remote-image-${payload.imageId}`;

/** Repeatable (a job scheduler the media worker upserts at start): removes images unused for 30 days. */
export const COLLECT_UNUSED_IMAGES_JOB = "collect-unused-images";
export const COLLECT_UNUSED_IMAGES_SCHEDULER_ID = "collect-unused-images";
export const collectUnusedImagesPayloadSchema = z.object({});

export const mediaJobOptions = {
  // Storage or database hiccups are retried; a refused image fails at once (UnrecoverableError).
  attempts: 3,
  backoff: { type: "exponential", delay: 2_000 },
  // Dropped when done, so the same content uploaded again later runs again (harmlessly: rows say what is done).
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} satisfies DefaultJobOptions;

/** Status changes of writers' images, for the editor's and the library's live status. */
export const imageStatusEventSchema = z.object({
  ownerId: z.uuid(),
  imageId: z.uuid(),
  status: z.enum(["fetching", "queued", "processing", "ready", "failed"]),
  error: z.string().nullable(),
});
export type ImageStatusEvent = z.infer<typeof imageStatusEventSchema>;

export const imageStatusChannel = (prefix: string) => `${prefix}:image-status`;
