import { env } from "../env.js";
import { withContractVersion } from "../jobs/contract";
import { SEND_BATCH_JOB, sendBatchJobId, sendProgressChannel, type SendBatchPayload, type SendConfirmationPayload, type SendPostPayload, type SendProgressEvent, type SendTestPayload } from "../jobs/newsletter-contract";
import { enqueue, queue } from "../jobs/queues";
import { sharedRedis } from "../jobs/redis";

// Enqueueing the newsletter's jobs (web and worker alike: the worker's send-post job enqueues batches).

/** The send job of a post; `at` delays it (a scheduled post). Its id collapses repeats. */
export async function enqueueSendPost(payload: SendPostPayload, at?: Date): Promise<void> {
  // A finished attempt left behind (failed) would swallow the new one.
  await enqueue("send-post", payload, { replaceFailed: true, delay: at ? Math.max(0, at.getTime() - Date.now()) : 0 });
}

export async function enqueueSendBatches(payloads: SendBatchPayload[]): Promise<void> {
  await sharedRedis();
  // One round trip for all of a post's batches.
  await queue("newsletter").addBulk(payloads.map((data) => ({ name: SEND_BATCH_JOB, data: withContractVersion(data), opts: { jobId: sendBatchJobId(data) } })));
}

export async function enqueueSendTest(payload: SendTestPayload): Promise<void> {
  await enqueue("send-test", payload);
}

export async function enqueueConfirmation(payload: SendConfirmationPayload): Promise<void> {
  await enqueue("send-confirmation", payload);
}

/** Tells the writer's open pages how a send is going. Best effort: the page also polls. */
export async function announceSendProgress(event: SendProgressEvent): Promise<void> {
  const redis = await sharedRedis();
  await redis.publish(sendProgressChannel(env.QUEUE_PREFIX), JSON.stringify(event));
}
