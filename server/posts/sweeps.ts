import { and, asc, eq, isNotNull, lt, ne, or, sql } from "drizzle-orm";
import { db } from "../db";
import { posts } from "./schema";

// The worker's sweeps: posts whose job may have been lost (a Redis outage, a crash), found by their
// rows so the worker can enqueue them again. Job ids dedupe, so a sweep of a post whose job is still
// there changes nothing.

/**
 * Posts whose version may have no job: `queued` for longer than `queuedSeconds` (saved while Redis was
 * down, or the enqueue was lost), or `processing` for longer than `processingSeconds` (the job ran out
 * of retries while the database was unreachable).
 */
export async function listPostsAwaitingProcessing(queuedSeconds: number, limit: number, processingSeconds = 600) {
  return db
    .select({ postId: posts.id, version: posts.version })
    .from(posts)
    .where(
      or(
        and(eq(posts.status, "queued"), lt(posts.queuedAt, sql`now() - make_interval(secs => ${queuedSeconds})`)),
        and(eq(posts.status, "processing"), lt(posts.queuedAt, sql`now() - make_interval(secs => ${processingSeconds})`)),
      ),
    )
    .orderBy(posts.queuedAt)
    .limit(limit);
}

/** Scheduled posts and updates whose time has passed: the sweep publishes them if their job was lost. */
export async function listOverdueScheduledPosts(graceSeconds: number, limit: number) {
  return db
    .select({ postId: posts.id, scheduledAt: posts.scheduledAt })
    .from(posts)
    .where(and(isNotNull(posts.scheduledAt), ne(posts.visibility, "draft"), lt(posts.scheduledAt, sql`now() - make_interval(secs => ${graceSeconds})`)))
    .orderBy(asc(posts.scheduledAt))
    .limit(limit);
}
