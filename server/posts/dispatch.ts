import type { ProcessPostReason } from "../jobs/contract";
import { enqueueProcessPost } from "../jobs/queues";
import { logger } from "../logger";
import type { PostRow } from "./schema";
import { announcePost } from "./status-events";

/**
 * After the row says `queued` (committed), hands the version to the queue and tells open pages. A Redis
 * outage must not lose the save: the row stays `queued` and the worker's sweep enqueues it later.
 * `newVersion`: this call's own transaction created the version, so no earlier job can carry its id
 * (the producer skips the look-up).
 */
export async function dispatch(
  row: Pick<PostRow, "id" | "authorId" | "version" | "status" | "visibility" | "error">,
  reason: ProcessPostReason = "save",
  options: { newVersion?: boolean } = {},
): Promise<void> {
  // Both at once: the status event does not depend on the job.
  await Promise.all([
    enqueueProcessPost({ postId: row.id, version: row.version }, reason, options).catch((err: unknown) => {
      logger.warn({ err, postId: row.id, version: row.version }, "enqueue failed; the worker sweep will pick the post up");
    }),
    announcePost(row),
  ]);
}
