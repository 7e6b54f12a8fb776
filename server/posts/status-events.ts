import { purgeForPostChange } from "../cache/purge";
import { announcePostStatus } from "../jobs/status-feed";
import { logger } from "../logger";
import type { PostRow } from "./schema";

type StatusFields = Pick<PostRow, "id" | "authorId" | "version" | "status" | "visibility" | "error">;

/**
 * Tells the writer's open pages that a post's state changed, and purges the public pages it changed
 * (server/cache/purge.ts: every web process's own cache and the gateway). `unpublished`: readers could see the post until this change. Best effort:
 * a Redis hiccup must fail neither the save nor the job, and the pages refetch on reconnect anyway.
 */
export async function announcePost(row: StatusFields, options: { unpublished?: boolean } = {}): Promise<void> {
  const event = {
    postId: row.id,
    authorId: row.authorId,
    version: row.version,
    status: row.status,
    visibility: row.visibility,
    error: row.error,
    ...(options.unpublished && { unpublished: true }),
    at: new Date().toISOString(),
  };
  // Not awaited: a slow shared cache must not hold up a save or a job (purge failures are logged).
  void purgeForPostChange(event);
  await announcePostStatus(event).catch((err: unknown) => logger.debug({ err, postId: row.id }, "status announcement skipped"));
}
