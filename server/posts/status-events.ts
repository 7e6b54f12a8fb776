import { announcePostStatus } from "../jobs/producer";
import { logger } from "../logger";
import type { PostRow } from "./schema";

type StatusFields = Pick<PostRow, "id" | "authorId" | "version" | "status" | "visibility" | "error">;

/**
 * Tells the writer's open pages (and every web process's public cache, server/cache/invalidation.ts)
 * that a post's state changed. `unpublished`: readers could see the post until this change. Best effort:
 * a Redis hiccup must fail neither the save nor the job, and the pages refetch on reconnect anyway.
 */
export async function announcePost(row: StatusFields, options: { unpublished?: boolean } = {}): Promise<void> {
  await announcePostStatus({
    postId: row.id,
    authorId: row.authorId,
    version: row.version,
    status: row.status,
    visibility: row.visibility,
    error: row.error,
    ...(options.unpublished && { unpublished: true }),
    at: new Date().toISOString(),
  }).catch((err: unknown) => logger.debug({ err, postId: row.id }, "status announcement skipped"));
}
