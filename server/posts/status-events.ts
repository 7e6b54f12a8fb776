import { purgeForPostChange } from "../cache/purge";
import type { ReaderChange } from "../cache/tags";
import { announcePostStatus } from "../jobs/status-feed";
import { logger } from "../logger";
import { posts, type PostRow } from "./schema";

/** The columns a status event is made of: statements that announce return these. */
export const statusColumns = {
  id: posts.id,
  authorId: posts.authorId,
  version: posts.version,
  status: posts.status,
  visibility: posts.visibility,
  error: posts.error,
};

type StatusFields = Pick<PostRow, keyof typeof statusColumns>;

/**
 * Tells the writer's open pages that a post's state changed, and purges the public pages it changed
 * (server/cache/purge.ts: every web process's own cache and the gateway). `readers`: what the change did to
 * the public site, if anything; only the caller knows (a save of a live post changes nothing public). Best effort:
 * a Redis hiccup must fail neither the save nor the job, and the pages refetch on reconnect anyway.
 */
export async function announcePost(row: StatusFields, options: { readers?: ReaderChange } = {}): Promise<void> {
  const event = {
    postId: row.id,
    authorId: row.authorId,
    version: row.version,
    status: row.status,
    visibility: row.visibility,
    error: row.error,
    ...(options.readers && { readers: options.readers }),
    at: new Date().toISOString(),
  };
  // Not awaited: a slow shared cache must not hold up a save or a job (purge failures are logged).
  void purgeForPostChange(event);
  await announcePostStatus(event).catch((err: unknown) => logger.debug({ err, postId: row.id }, "status announcement skipped"));
}
