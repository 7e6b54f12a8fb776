import type { DefaultJobOptions } from "bullmq";
import { z } from "zod";

// The newsletter queue's contract, shared by the web (producer) and the worker (consumer). Payloads hold
// ids only: the post_sends and deliveries rows are the source of truth, so a retried or repeated job
// re-reads them and sends only what is still unsent. The registry (registry.ts) lists these job types.

export const NEWSLETTER_QUEUE = "newsletter";

/** One per emailed post: waits until the post is live, fixes its recipients, enqueues the batches. */
export const SEND_POST_JOB = "send-post";
export const sendPostPayloadSchema = z.object({ postId: z.uuid() });
export type SendPostPayload = z.infer<typeof sendPostPayloadSchema>;
export const sendPostJobId = ({ postId }: SendPostPayload) => `newsletter-send-${postId}`;

/** Up to NEWSLETTER_BATCH_SIZE recipients of one post. */
export const SEND_BATCH_JOB = "send-batch";
export const sendBatchPayloadSchema = z.object({ postId: z.uuid(), batch: z.number().int().min(0) });
export type SendBatchPayload = z.infer<typeof sendBatchPayloadSchema>;
export const sendBatchJobId = ({ postId, batch }: SendBatchPayload) => `newsletter-batch-${postId}-${batch}`;

/** The writer's test send of a post to their own address (never to subscribers). */
export const SEND_TEST_JOB = "send-test";
export const sendTestPayloadSchema = z.object({ postId: z.uuid(), authorId: z.uuid() });
export type SendTestPayload = z.infer<typeof sendTestPayloadSchema>;

/** Confirmation link for a double opt-in: the worker issues the token, so none sits in Redis. */
export const SEND_CONFIRMATION_JOB = "send-confirmation";
export const sendConfirmationPayloadSchema = z.object({ subscriberId: z.uuid() });
export type SendConfirmationPayload = z.infer<typeof sendConfirmationPayloadSchema>;

export const newsletterJobOptions = {
  // 2 s, 4 s, 8 s … about half an hour in all: temporary (4xx) refusals and SMTP outages ride it out.
  attempts: 10,
  backoff: { type: "exponential", delay: 2_000, jitter: 0.5 },
  // Dropped at once when done: a repeated enqueue of the same id then runs again, harmlessly (rows say
  // what is left to send).
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} satisfies DefaultJobOptions;

/** Live progress of a post's send, published for the writer's open pages. */
export const sendProgressEventSchema = z.object({
  postId: z.uuid(),
  authorId: z.uuid(),
  status: z.enum(["scheduled", "queued", "sending", "sent", "cancelled"]),
  total: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
});
export type SendProgressEvent = z.infer<typeof sendProgressEventSchema>;

export const sendProgressChannel = (prefix: string) => `${prefix}:newsletter-progress`;
