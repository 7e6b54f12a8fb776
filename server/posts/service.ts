import { TRPCError } from "@trpc/server";
import { and, desc, eq, isNotNull, like, lt, or, sql } from "drizzle-orm";
import type { z } from "zod";
import type { postCreateSchema, postListSchema, postUpdateSchema } from "@/lib/validations/post";
import { db, readDb, type Database } from "../db";
import type { ProcessPostReason } from "../jobs/contract";
import { announcePostStatus, enqueueProcessPost } from "../jobs/producer";
import { env } from "../env.js";
import { logger } from "../logger";
import { getPublicProfileByUsername, getPublicProfilesByIds, type PublicProfile } from "../users/service";
import { processPost } from "./process-post";
import { posts, type PostRow } from "./schema";
import { firstFreeSlug, slugForTitle } from "./slug";

// The Post Service: CRUD and publishing. Author data comes only from the users module's functions.

/** A post as its author sees it. */
export interface OwnPost {
  id: string;
  title: string;
  slug: string;
  markdown: string;
  html: string | null;
  excerpt: string | null;
  wordCount: number;
  readingTimeMinutes: number;
  visibility: PostRow["visibility"];
  status: PostRow["status"];
  version: number;
  /** The version the worker last finished (its html, excerpt and counts are shown above). */
  processedVersion: number | null;
  /** The version readers currently see, if published. */
  publishedVersion: number | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

/** A published post as readers see it: always the last processed version that was published. */
export interface PublicPost {
  id: string;
  title: string;
  slug: string;
  html: string;
  excerpt: string;
  wordCount: number;
  readingTimeMinutes: number;
  publishedAt: Date;
  author: Pick<PublicProfile, "username" | "displayName" | "bio">;
}

function toOwnPost(row: PostRow): OwnPost {
  return {
    id: row.id,
    title: row.title,
    slug: row.slug,
    markdown: row.markdown,
    html: row.html,
    excerpt: row.excerpt,
    wordCount: row.wordCount,
    readingTimeMinutes: row.readingTimeMinutes,
    visibility: row.visibility,
    status: row.status,
    version: row.version,
    processedVersion: row.processedVersion,
    publishedVersion: row.publishedVersion,
    error: row.error,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    publishedAt: row.publishedAt,
  };
}

function toPublicPost(row: PostRow, author: PublicProfile): PublicPost | null {
  if (row.visibility !== "published" || row.publishedHtml === null || row.publishedAt === null) return null;
  return {
    id: row.id,
    title: row.publishedTitle ?? row.title,
    slug: row.slug,
    html: row.publishedHtml,
    excerpt: row.publishedExcerpt ?? "",
    wordCount: row.publishedWordCount ?? 0,
    readingTimeMinutes: row.publishedReadingTimeMinutes ?? 0,
    publishedAt: row.publishedAt,
    author: { username: author.username, displayName: author.displayName, bio: author.bio },
  };
}

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Post not found." });

/**
 * After the row says `queued` (committed), hand the version to the queue and tell open pages. A Redis
 * outage must not lose the save: the row stays `queued` and the worker's sweep enqueues it later.
 */
async function dispatch(row: PostRow, reason: ProcessPostReason = "save"): Promise<void> {
  if (env.BENCH_INLINE_PROCESSING) {
    await processPost({ postId: row.id, version: row.version });
    return;
  }
  try {
    await enqueueProcessPost({ postId: row.id, version: row.version }, reason);
  } catch (err) {
    logger.warn({ err, postId: row.id, version: row.version }, "enqueue failed; the worker sweep will pick the post up");
  }
  await announce(row);
}

async function announce(row: PostRow): Promise<void> {
  try {
    await announcePostStatus({
      postId: row.id,
      authorId: row.authorId,
      version: row.version,
      status: row.status,
      visibility: row.visibility,
      error: row.error,
      at: new Date().toISOString(),
    });
  } catch (err) {
    logger.debug({ err, postId: row.id }, "status announcement skipped");
  }
}

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

async function freeSlug(tx: Tx, authorId: string, title: string, exceptPostId?: string): Promise<string> {
  const base = slugForTitle(title);
  const rows = await tx
    .select({ id: posts.id, slug: posts.slug })
    .from(posts)
    .where(and(eq(posts.authorId, authorId), like(posts.slug, `${base}%`)));
  return firstFreeSlug(base, new Set(rows.filter((r) => r.id !== exceptPostId).map((r) => r.slug)));
}

/** Two saves racing for one slug: the loser retries with the next free one. */
async function withSlugRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
      if (code !== "23505" || attempt >= 3) throw err;
    }
  }
}

async function lockOwnPost(tx: Tx, authorId: string, id: string): Promise<PostRow> {
  const [row] = await tx
    .select()
    .from(posts)
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId)))
    .for("update");
  if (!row) throw notFound();
  return row;
}

export async function createPost(authorId: string, input: z.output<typeof postCreateSchema>): Promise<OwnPost> {
  const row = await withSlugRetry(() =>
    db.transaction(async (tx) => {
      const slug = await freeSlug(tx, authorId, input.title);
      const [inserted] = await tx
        .insert(posts)
        .values({ authorId, title: input.title, slug, markdown: input.markdown, status: "queued" })
        .returning();
      if (!inserted) throw new Error("insert returned no row");
      return inserted;
    }),
  );
  await dispatch(row);
  return toOwnPost(row);
}

export async function updatePost(authorId: string, input: z.output<typeof postUpdateSchema>): Promise<OwnPost> {
  const result = await withSlugRetry(() =>
    db.transaction(async (tx) => {
      const current = await lockOwnPost(tx, authorId, input.id);
      if (current.version !== input.version) {
        throw new TRPCError({
          code: "CONFLICT",
          message: `This post was changed elsewhere (now version ${current.version}, your edit is based on version ${input.version}). Reload to see the newer text.`,
        });
      }
      const title = input.title ?? current.title;
      const markdown = input.markdown ?? current.markdown;
      if (title === current.title && markdown === current.markdown) return { row: current, changed: false };

      // The slug follows the title while the post is a draft; once published its URL is public.
      const slugFollowsTitle = current.visibility === "draft" && title !== current.title;
      const slug = slugFollowsTitle ? await freeSlug(tx, authorId, title, current.id) : current.slug;
      const [updated] = await tx
        .update(posts)
        .set({ title, markdown, slug, version: current.version + 1, status: "queued", error: null, updatedAt: new Date(), queuedAt: new Date() })
        .where(eq(posts.id, current.id))
        .returning();
      if (!updated) throw notFound();
      return { row: updated, changed: true };
    }),
  );
  if (result.changed) await dispatch(result.row);
  return toOwnPost(result.row);
}

export async function deletePost(authorId: string, id: string): Promise<{ id: string }> {
  const deleted = await db
    .delete(posts)
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId)))
    .returning({ id: posts.id });
  if (deleted.length === 0) throw notFound();
  // A pending job for this post finds no row and ends without retrying.
  return { id };
}

export async function getOwnPost(authorId: string, id: string): Promise<OwnPost> {
  const [row] = await db
    .select()
    .from(posts)
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId)));
  if (!row) throw notFound();
  return toOwnPost(row);
}

function encodeCursor(row: Pick<PostRow, "updatedAt" | "id">): string {
  return Buffer.from(`${row.updatedAt.toISOString()}|${row.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { updatedAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const updatedAt = new Date(iso ?? "");
  if (!id || Number.isNaN(updatedAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid cursor." });
  }
  return { updatedAt, id };
}

/** The writer's own posts, newest edit first, keyset-paginated. */
export async function listOwnPosts(
  authorId: string,
  input: z.output<typeof postListSchema>,
): Promise<{ items: OwnPost[]; nextCursor: string | null }> {
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const rows = await db
    .select()
    .from(posts)
    .where(
      and(
        eq(posts.authorId, authorId),
        input.visibility ? eq(posts.visibility, input.visibility) : undefined,
        after
          ? or(lt(posts.updatedAt, after.updatedAt), and(eq(posts.updatedAt, after.updatedAt), lt(posts.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(posts.updatedAt), desc(posts.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return { items: page.map(toOwnPost), nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
}

/**
 * Publishes the post's current version. Readers see it once the worker has processed it; until then
 * they keep the previously published version, if any. A version still queued or processing needs no
 * new job (the worker publishes it when it finishes, under the row lock); a finished or failed one is
 * queued again so the worker renders and publishes it.
 */
export async function publishPost(authorId: string, id: string): Promise<OwnPost> {
  const { row, needsJob } = await db.transaction(async (tx) => {
    const current = await lockOwnPost(tx, authorId, id);
    if (current.visibility === "published" && current.publishedVersion === current.version) return { row: current, needsJob: false };
    const needsJob = current.status === "ready" || current.status === "failed";
    const [updated] = await tx
      .update(posts)
      .set({ visibility: "published", scheduledAt: null, ...(needsJob && { status: "queued" as const, error: null, queuedAt: new Date() }) })
      .where(eq(posts.id, current.id))
      .returning();
    if (!updated) throw notFound();
    return { row: updated, needsJob };
  });
  if (needsJob) await dispatch(row, "publish");
  else await announce(row);
  return toOwnPost(row);
}

/** Takes the post off the public site at once; the text and its rendering stay for the writer. */
export async function unpublishPost(authorId: string, id: string): Promise<OwnPost> {
  const [row] = await db
    .update(posts)
    .set({
      visibility: "draft",
      publishedVersion: null,
      publishedTitle: null,
      publishedHtml: null,
      publishedExcerpt: null,
      publishedWordCount: null,
      publishedReadingTimeMinutes: null,
      publishedText: null,
      publishedAt: null,
    })
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId)))
    .returning();
  if (!row) throw notFound();
  await announce(row);
  return toOwnPost(row);
}

/** Re-runs processing of the current version after a failure. */
export async function retryPost(authorId: string, id: string): Promise<OwnPost> {
  const [row] = await db
    .update(posts)
    .set({ status: "queued", error: null, queuedAt: new Date() })
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId), eq(posts.status, "failed")))
    .returning();
  if (!row) return getOwnPost(authorId, id); // not failed (or not yours): nothing to retry
  await dispatch(row);
  return toOwnPost(row);
}

const isPublic = and(eq(posts.visibility, "published"), isNotNull(posts.publishedHtml), isNotNull(posts.publishedAt));

/** A published post by its author's username and its slug; drafts and unknown posts are NOT_FOUND. */
export async function getPublishedPost(username: string, slug: string): Promise<PublicPost> {
  const author = await getPublicProfileByUsername(username);
  if (!author) throw notFound();
  const [row] = await readDb
    .select()
    .from(posts)
    .where(and(eq(posts.authorId, author.id), eq(posts.slug, slug), isPublic));
  const post = row ? toPublicPost(row, author) : null;
  if (!post) throw notFound();
  return post;
}

/** The latest published posts across all writers (home page), or one writer's (author page). */
export async function listPublishedPosts(options: { authorId?: string; limit?: number }): Promise<PublicPost[]> {
  const rows = await readDb
    .select()
    .from(posts)
    .where(and(isPublic, options.authorId ? eq(posts.authorId, options.authorId) : undefined))
    .orderBy(desc(posts.publishedAt), desc(posts.id))
    .limit(options.limit ?? 20);
  const authors = await getPublicProfilesByIds(rows.map((r) => r.authorId));
  return rows.flatMap((row) => {
    const author = authors.get(row.authorId);
    const post = author ? toPublicPost(row, author) : null;
    return post ? [post] : [];
  });
}

/**
 * Posts whose version may have no job: `queued` for longer than `queuedSeconds` (saved while Redis was
 * down, or the enqueue was lost), or `processing` for longer than `processingSeconds` (the job ran out
 * of retries while the database was unreachable). The worker's sweep enqueues them again; the job id
 * dedupe makes that a no-op for versions whose job is in fact still there.
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
