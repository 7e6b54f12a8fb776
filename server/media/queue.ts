import { env } from "../env.js";
import { imageStatusChannel, type CopyRemoteImagePayload, type ImageStatusEvent, type ProcessImagePayload } from "../jobs/media-contract";
import { enqueue } from "../jobs/queues";
import { sharedRedis } from "../jobs/redis";

// Enqueueing the media queue's jobs (web and worker alike: one job hands to the next). A failed job of
// the same id is removed first, so a Retry really runs.

export async function enqueueProcessImage(payload: ProcessImagePayload): Promise<void> {
  await enqueue("process-image", payload, { replaceFailed: true });
}

export async function enqueueCopyRemoteImage(payload: CopyRemoteImagePayload): Promise<void> {
  await enqueue("copy-remote-image", payload, { replaceFailed: true });
}

/** Tells the writer's open pages about an image's status. Best effort: pages also refetch. */
export async function announceImageStatus(event: ImageStatusEvent): Promise<void> {
  try {
    const redis = await sharedRedis();
    await redis.publish(imageStatusChannel(env.QUEUE_PREFIX), JSON.stringify(event));
  } catch {
    // The page refetches on reconnect.
  }
}
