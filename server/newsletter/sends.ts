import { and, count, desc, eq, inArray } from "drizzle-orm";
import { db } from "../db";
import { getPostMailSource } from "../posts/mail-source";
import { enqueueSendPost, enqueueSendTest } from "./queue";
import { postSends, subscribers, type PostSendRow } from "./schema";
import { AppError } from "../errors";

// The writer's side of sending: asking for a post to be emailed (now, or when its schedule publishes
// it), a test send to themself, and the progress and history of each send.

export interface SendState {
  postId: string;
  status: PostSendRow["status"];
  total: number;
  sent: number;
  failed: number;
  requestedAt: Date;
  finishedAt: Date | null;
  /** Readers who unsubscribed through this post's mail. */
  unsubscribes: number;
}

async function ownPostSource(authorId: string, postId: string) {
  const source = await getPostMailSource(postId);
  if (!source || source.authorId !== authorId) throw new AppError("NOT_FOUND", "Post not found.");
  return source;
}

/**
 * Emails the post to the writer's active subscribers once it is live: at once for a published post, at
 * its time for a scheduled one (the job waits for the post, however often it is rescheduled). A post is
 * emailed at most once: asking again is refused, so no reader gets it twice.
 */
export async function requestPostSend(authorId: string, postId: string): Promise<SendState> {
  const source = await ownPostSource(authorId, postId);
  if (source.visibility === "draft") {
    throw new AppError("INVALID", "Publish or schedule the post first; it is emailed when it goes live.");
  }
  const status = source.visibility === "scheduled" ? "scheduled" : "queued";
  const [created] = await db.insert(postSends).values({ postId, authorId, status }).onConflictDoNothing().returning();
  if (!created) {
    const [existing] = await db.select().from(postSends).where(eq(postSends.postId, postId));
    if (existing?.status !== "cancelled") throw new AppError("CONFLICT", "This post has already been emailed to your subscribers (or is being emailed).");
    // A send cancelled before it started (the post was unpublished) can be asked for again.
    await db.update(postSends).set({ status, requestedAt: new Date(), finishedAt: null }).where(and(eq(postSends.postId, postId), eq(postSends.status, "cancelled")));
  }
  await enqueueSendPost({ postId }, source.visibility === "scheduled" ? (source.scheduledAt ?? undefined) : undefined);
  return getPostSend(authorId, postId).then((s) => s ?? Promise.reject(new Error("send vanished")));
}

/** A test of the mail (the working copy as last rendered), sent to the writer's own address only. */
export async function requestTestSend(authorId: string, postId: string): Promise<void> {
  const source = await ownPostSource(authorId, postId);
  if (!source.draft) throw new AppError("INVALID", "The post is still being processed; send the test in a moment.");
  await enqueueSendTest({ postId, authorId });
}

function toState(row: PostSendRow, unsubscribes: number): SendState {
  return { postId: row.postId, status: row.status, total: row.total, sent: row.sent, failed: row.failed, requestedAt: row.requestedAt, finishedAt: row.finishedAt, unsubscribes };
}

export async function getPostSend(authorId: string, postId: string): Promise<SendState | null> {
  const [row] = await db.select().from(postSends).where(and(eq(postSends.postId, postId), eq(postSends.authorId, authorId)));
  if (!row) return null;
  const [unsubscribed] = await db.select({ n: count() }).from(subscribers).where(eq(subscribers.unsubscribedFromPostId, postId));
  return toState(row, unsubscribed?.n ?? 0);
}

/** The writer's sends, newest first (the dashboard's history). */
export async function listPostSends(authorId: string, limit = 50): Promise<SendState[]> {
  const rows = await db.select().from(postSends).where(eq(postSends.authorId, authorId)).orderBy(desc(postSends.requestedAt)).limit(limit);
  if (rows.length === 0) return [];
  const caused = await db
    .select({ postId: subscribers.unsubscribedFromPostId, n: count() })
    .from(subscribers)
    .where(inArray(subscribers.unsubscribedFromPostId, rows.map((r) => r.postId)))
    .groupBy(subscribers.unsubscribedFromPostId);
  const byPost = new Map(caused.map((c) => [c.postId, c.n]));
  return rows.map((r) => toState(r, byPost.get(r.postId) ?? 0));
}
