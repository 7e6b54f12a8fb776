import { and, eq, isNotNull, sql } from "drizzle-orm";
import { db, type Transaction as Tx } from "../db";
import { AppError } from "../errors";
import { enqueuePublishPost } from "../jobs/queues";
import { logger } from "../logger";
import { dispatch } from "./dispatch";
import { postNotFound, toOwnPost, type OwnPost } from "./dto";
import { getOwnPost } from "./own-reads";
import { isRenderedCurrentVersion, noLiveColumns, publishRenderedVersion } from "./processing";
import { posts, type PostRow } from "./schema";
import type { ReaderChange } from "../cache/tags";
import { announcePost } from "./status-events";
import { lockOwnPost } from "./write";

// Going live and coming off: Publish / Update, Discard changes, Unpublish, and scheduling (the writer's
// side, and the worker's when the time comes). The live copy itself is written by processing.ts.

/**
 * Makes the locked row's working copy live: Publish for a post readers have never seen, Update for a
 * live one (its edits stay private until then). A version the worker has already rendered goes live at
 * once from that rendering: rendering it again would give the same html and only keep readers waiting.
 * Otherwise the row records that this version is to go live (`goingLiveVersion`), and the worker makes
 * it live when it finishes rendering it; readers keep the previous live version, if any, until then. A
 * version still queued or processing needs no new job; a failed one (or a ready one rendered before its
 * text was kept, migration 0005) is queued again.
 */
interface Published {
  row: PostRow;
  needsJob: boolean;
  /** Set when this version went live now (from its stored rendering). */
  readers?: ReaderChange;
}

async function publishLocked(tx: Tx, current: PostRow): Promise<Published> {
  if (current.visibility === "published" && current.publishedVersion === current.version) {
    if (current.scheduledAt === null && current.goingLiveVersion === null) return { row: current, needsJob: false };
    // Already live as it is: a scheduled update or a pending one has nothing left to do.
    const [row] = await tx.update(posts).set({ scheduledAt: null, goingLiveVersion: null, goingLiveAt: null }).where(eq(posts.id, current.id)).returning();
    if (!row) throw postNotFound();
    return { row, needsJob: false };
  }
  if (isRenderedCurrentVersion(current)) {
    return { row: await publishRenderedVersion(tx, current), needsJob: false, readers: current.publishedVersion === null ? "added" : "updated" };
  }
  const needsJob = current.status === "ready" || current.status === "failed";
  const now = new Date();
  const [updated] = await tx
    .update(posts)
    .set({
      visibility: "published",
      scheduledAt: null,
      goingLiveVersion: current.version,
      goingLiveAt: now,
      ...(needsJob && { status: "queued" as const, error: null, queuedAt: now }),
    })
    .where(eq(posts.id, current.id))
    .returning();
  if (!updated) throw postNotFound();
  return { row: updated, needsJob };
}

async function afterPublish({ row, needsJob, readers }: Published): Promise<void> {
  if (needsJob) await dispatch(row, "publish");
  else await announcePost(row, readers ? { readers } : {});
}

function refuseStale(current: PostRow, version: number | undefined): void {
  if (version !== undefined && current.version !== version) {
    throw new AppError(
      "CONFLICT",
      `This post changed after you reviewed it (now version ${current.version}, you reviewed version ${version}). Review it again.`,
    );
  }
}

/**
 * Publish, or Update a live post: makes the working copy live (see publishLocked). `version`, when
 * given, is the version the writer reviewed; a newer one is refused with CONFLICT, so what goes live is
 * what the review sheet showed.
 */
export async function publishPost(authorId: string, input: { id: string; version?: number }): Promise<OwnPost> {
  const result = await db.transaction(async (tx) => {
    const current = await lockOwnPost(tx, authorId, input.id);
    refuseStale(current, input.version);
    return publishLocked(tx, current);
  });
  await afterPublish(result);
  return toOwnPost(result.row);
}

/**
 * Drops the working copy of a live post: it becomes the live version again (text, title, address, tags,
 * cover, excerpt and their rendering), as a new version so other tabs' edits based on the old one are
 * refused. Nothing readers see changes. `version` is the version the writer is looking at.
 */
export async function discardChanges(authorId: string, input: { id: string; version: number }): Promise<OwnPost> {
  const row = await db.transaction(async (tx) => {
    const current = await lockOwnPost(tx, authorId, input.id);
    if (current.publishedVersion === null || current.publishedMarkdown === null || current.publishedSlug === null) {
      throw new AppError("INVALID", "Only a live post has changes to discard.");
    }
    refuseStale(current, input.version);
    if (current.publishedVersion === current.version && current.scheduledAt === null && current.goingLiveVersion === null) return current;
    const version = current.version + 1;
    const now = new Date();
    const [restored] = await tx
      .update(posts)
      .set({
        ...workingCopyFromLive,
        version,
        processedVersion: version,
        publishedVersion: version,
        status: "ready",
        error: null,
        scheduledAt: null,
        goingLiveVersion: null,
        goingLiveAt: null,
        updatedAt: now,
        queuedAt: now,
      })
      .where(eq(posts.id, current.id))
      .returning();
    if (!restored) throw postNotFound();
    return restored;
  });
  await announcePost(row);
  return toOwnPost(row);
}

/** Each working-copy column from its live counterpart: Discard's copy (the reverse of going live). */
const workingCopyFromLive = {
  title: sql`${posts.publishedTitle}`,
  slug: sql`${posts.publishedSlug}`,
  markdown: sql`${posts.publishedMarkdown}`,
  tags: sql`coalesce(${posts.publishedTags}, '{}'::text[])`,
  coverImageUrl: sql`${posts.publishedCoverImageUrl}`,
  coverImageAlt: sql`${posts.publishedCoverImageAlt}`,
  canonicalUrl: sql`${posts.publishedCanonicalUrl}`,
  excerptOverride: sql`${posts.publishedExcerptOverride}`,
  html: sql`${posts.publishedHtml}`,
  excerpt: sql`${posts.publishedExcerpt}`,
  text: sql`${posts.publishedText}`,
  toc: sql`${posts.publishedToc}`,
  wordCount: sql`coalesce(${posts.publishedWordCount}, 0)`,
  readingTimeMinutes: sql`coalesce(${posts.publishedReadingTimeMinutes}, 0)`,
} satisfies Partial<Record<keyof PostRow, unknown>>;

/**
 * Schedules publication, or for a published post an update: at that time the working copy as it is
 * then goes live. A delayed BullMQ job does it; if Redis loses it, the worker's sweep publishes posts
 * whose time has passed, so it happens once either way.
 */
export async function schedulePost(authorId: string, input: { id: string; publishAt: Date }): Promise<OwnPost> {
  const row = await db.transaction(async (tx) => {
    const current = await lockOwnPost(tx, authorId, input.id);
    const [updated] = await tx
      .update(posts)
      .set({ visibility: current.visibility === "published" ? "published" : "scheduled", scheduledAt: input.publishAt })
      .where(eq(posts.id, current.id))
      .returning();
    if (!updated) throw postNotFound();
    return updated;
  });
  try {
    await enqueuePublishPost({ postId: row.id, scheduledAt: input.publishAt.toISOString() });
  } catch (err) {
    logger.warn({ err, postId: row.id }, "scheduling job not enqueued; the worker sweep will publish on time");
  }
  await announcePost(row);
  return toOwnPost(row);
}

/**
 * Cancels a schedule: a scheduled post goes back to being a draft; a published post's scheduled update
 * is dropped (the working copy stays private). Its delayed job finds nothing to do.
 */
export async function unschedulePost(authorId: string, id: string): Promise<OwnPost> {
  const [row] = await db
    .update(posts)
    .set({ visibility: sql`case when ${posts.visibility} = 'published' then ${posts.visibility} else 'draft' end`, scheduledAt: null })
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId), isNotNull(posts.scheduledAt)))
    .returning();
  if (!row) return getOwnPost(authorId, id); // not scheduled (or not yours: NOT_FOUND)
  await announcePost(row);
  return toOwnPost(row);
}

/**
 * The worker's side of scheduling: publishes the post, or makes a published post's working copy live,
 * if it is still scheduled for `scheduledAt` (rescheduled or cancelled posts ignore old jobs). Returns
 * whether it did.
 */
export async function publishScheduledPost(postId: string, scheduledAt: Date | null): Promise<boolean> {
  const result = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(posts).where(eq(posts.id, postId)).for("update");
    if (!current || current.visibility === "draft" || !current.scheduledAt) return null;
    if (scheduledAt && current.scheduledAt.getTime() !== scheduledAt.getTime()) return null;
    if (current.scheduledAt.getTime() > Date.now() + 1_000) return null; // not due yet
    return publishLocked(tx, current);
  });
  if (!result) return false;
  await afterPublish(result);
  return true;
}

/** Takes the post off the public site at once; the working copy and its rendering stay for the writer. */
export async function unpublishPost(authorId: string, id: string): Promise<OwnPost> {
  const [row] = await db
    .update(posts)
    .set({ visibility: "draft", scheduledAt: null, ...noLiveColumns })
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId)))
    .returning();
  if (!row) throw postNotFound();
  await announcePost(row, { readers: "removed" });
  return toOwnPost(row);
}
