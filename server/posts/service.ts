import { TRPCError } from "@trpc/server";
import { and, arrayContains, asc, desc, eq, gt, ilike, inArray, isNotNull, like, lt, ne, or, sql } from "drizzle-orm";
import type { z } from "zod";
import type { postCreateSchema, postListSchema, postUpdateSchema } from "@/lib/validations/post";
import { db, readDb, type Transaction as Tx } from "../db";
import type { ProcessPostReason } from "../jobs/contract";
import { enqueueProcessPost, enqueuePublishPost } from "../jobs/producer";
import { env } from "../env.js";
import { logger } from "../logger";
import { findAuthorIdsByNamePrefix } from "../users/search-authors";
import { getPublicProfileByUsername, getPublicProfilesByIds, type PublicProfile } from "../users/service";
import type { TocEntry } from "../render";
import { processPost } from "./process-post";
import { parseSearchQuery, type SearchQuery } from "./search-query";
import { isRenderedCurrentVersion, noLiveColumns, publishRenderedVersion } from "./processing";
import { announcePost } from "./status-events";
import { posts, revisions, slugRedirects, type PostRow } from "./schema";
import { firstFreeSlug, isGeneratedSlug, slugForTitle } from "./slug";
import { decodePageCursor, encodePageCursor } from "./cursor";

// The Post Service: CRUD and publishing. Author data comes only from the users module's functions.

/** A post as its author sees it. */
export interface OwnPost {
  id: string;
  title: string;
  slug: string;
  markdown: string;
  html: string | null;
  excerpt: string | null;
  /** The writer's own excerpt, if set (otherwise `excerpt` is computed from the text). */
  excerptOverride: string | null;
  tags: string[];
  coverImageUrl: string | null;
  coverImageAlt: string | null;
  canonicalUrl: string | null;
  wordCount: number;
  readingTimeMinutes: number;
  visibility: PostRow["visibility"];
  /** When a `scheduled` post will be published, or a published post's working copy will go live. */
  scheduledAt: Date | null;
  status: PostRow["status"];
  version: number;
  /** The version the worker last finished (its html, excerpt and counts are shown above). */
  processedVersion: number | null;
  /**
   * The version readers currently see, if published. Each saved edit of a live post after it is one
   * unpublished change (`version - publishedVersion`) until Update or Discard.
   */
  publishedVersion: number | null;
  /** The live address (slug), which the working copy's `slug` replaces only when it goes live. */
  publishedSlug: string | null;
  /** A version the writer asked to make live that the worker has not finished yet, and since when. */
  goingLiveVersion: number | null;
  goingLiveAt: Date | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

/**
 * What a save answers: the post without `html`. Right after a save the html is the previous version's
 * (the new one is still being rendered), and it is the larger half of the post; the editor has it from
 * its query and hears when the new one is ready.
 */
export type SavedPost = Omit<OwnPost, "html">;

/** A published post as readers see it: always the last processed version that was published. */
export interface PublicPost {
  id: string;
  title: string;
  slug: string;
  html: string;
  excerpt: string;
  wordCount: number;
  readingTimeMinutes: number;
  tags: string[];
  coverImageUrl: string | null;
  /** The cover's alt text ("" when the writer gave none). */
  coverImageAlt: string;
  canonicalUrl: string | null;
  /** The h2/h3 headings, for a table of contents on long posts. */
  toc: TocEntry[];
  publishedAt: Date;
  /** When the live version last changed (an autosave of the working copy does not change it). */
  updatedAt: Date;
  author: Pick<PublicProfile, "username" | "displayName" | "bio">;
}

function toSavedPost(row: SavedPost): SavedPost {
  const { html: _html, ...saved } = toOwnPost({ ...row, html: null });
  return saved;
}

// Copies field by field so no other column of the row (published snapshot, search vector) leaks out.
function toOwnPost(row: OwnPost): OwnPost {
  return {
    id: row.id,
    title: row.title,
    slug: row.slug,
    markdown: row.markdown,
    html: row.html,
    excerpt: row.excerpt,
    excerptOverride: row.excerptOverride,
    tags: row.tags,
    coverImageUrl: row.coverImageUrl,
    coverImageAlt: row.coverImageAlt,
    canonicalUrl: row.canonicalUrl,
    wordCount: row.wordCount,
    readingTimeMinutes: row.readingTimeMinutes,
    visibility: row.visibility,
    scheduledAt: row.scheduledAt,
    status: row.status,
    version: row.version,
    processedVersion: row.processedVersion,
    publishedVersion: row.publishedVersion,
    publishedSlug: row.publishedSlug,
    goingLiveVersion: row.goingLiveVersion,
    goingLiveAt: row.goingLiveAt,
    error: row.error,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    publishedAt: row.publishedAt,
  };
}

/**
 * What a reader's view of a post is made of: the live (`published_*`) columns only, never the working
 * copy, which a live post's writer may be editing privately. Public reads select only these, so the
 * draft's Markdown, html and text (each as large as the post) and the search vector never leave the
 * database for a page view, a list or a search.
 */
const publicPostColumns = {
  id: posts.id,
  authorId: posts.authorId,
  visibility: posts.visibility,
  publishedSlug: posts.publishedSlug,
  publishedTags: posts.publishedTags,
  publishedCoverImageUrl: posts.publishedCoverImageUrl,
  publishedCoverImageAlt: posts.publishedCoverImageAlt,
  publishedCanonicalUrl: posts.publishedCanonicalUrl,
  publishedUpdatedAt: posts.publishedUpdatedAt,
  publishedTitle: posts.publishedTitle,
  publishedHtml: posts.publishedHtml,
  publishedExcerpt: posts.publishedExcerpt,
  publishedWordCount: posts.publishedWordCount,
  publishedReadingTimeMinutes: posts.publishedReadingTimeMinutes,
  publishedToc: posts.publishedToc,
  publishedAt: posts.publishedAt,
};
type PublicPostRow = Pick<PostRow, keyof typeof publicPostColumns>;

function toPublicPost(row: PublicPostRow, author: PublicProfile): PublicPost | null {
  if (row.visibility !== "published" || row.publishedHtml === null || row.publishedAt === null || row.publishedSlug === null) return null;
  return {
    id: row.id,
    title: row.publishedTitle ?? "",
    slug: row.publishedSlug,
    html: row.publishedHtml,
    excerpt: row.publishedExcerpt ?? "",
    wordCount: row.publishedWordCount ?? 0,
    readingTimeMinutes: row.publishedReadingTimeMinutes ?? 0,
    tags: row.publishedTags ?? [],
    coverImageUrl: row.publishedCoverImageUrl,
    coverImageAlt: row.publishedCoverImageAlt ?? "",
    canonicalUrl: row.publishedCanonicalUrl,
    toc: row.publishedToc ?? [],
    publishedAt: row.publishedAt,
    updatedAt: row.publishedUpdatedAt ?? row.publishedAt,
    author: { username: author.username, displayName: author.displayName, bio: author.bio },
  };
}

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Post not found." });

/**
 * After the row says `queued` (committed), hand the version to the queue and tell open pages. A Redis
 * outage must not lose the save: the row stays `queued` and the worker's sweep enqueues it later.
 */
/**
 * Enqueues processing of the row's version and announces its status. `newVersion`: this call's own
 * transaction created the version, so no earlier job can carry its id (the producer skips the look-up).
 */
async function dispatch(
  row: Pick<PostRow, "id" | "authorId" | "version" | "status" | "visibility" | "error">,
  reason: ProcessPostReason = "save",
  options: { newVersion?: boolean } = {},
): Promise<void> {
  if (env.BENCH_INLINE_PROCESSING) {
    await processPost({ postId: row.id, version: row.version });
    return;
  }
  // Both at once: the status event does not depend on the job.
  await Promise.all([
    enqueueProcessPost({ postId: row.id, version: row.version }, reason, options).catch((err: unknown) => {
      logger.warn({ err, postId: row.id, version: row.version }, "enqueue failed; the worker sweep will pick the post up");
    }),
    announcePost(row),
  ]);
}

/**
 * A slug is the writer's if no other of their posts has it, as its working copy's slug or as its live
 * address: a live post renamed in its working copy keeps its old address until Update.
 */
function slugTakenBy(authorId: string, slug: string) {
  return and(eq(posts.authorId, authorId), or(eq(posts.slug, slug), eq(posts.publishedSlug, slug)));
}

async function freeSlug(tx: Tx, authorId: string, title: string, exceptPostId?: string): Promise<string> {
  const base = slugForTitle(title);
  const rows = await tx
    .select({ id: posts.id, slug: posts.slug, publishedSlug: posts.publishedSlug })
    .from(posts)
    .where(and(eq(posts.authorId, authorId), or(like(posts.slug, `${base}%`), like(posts.publishedSlug, `${base}%`))));
  const taken = rows.filter((r) => r.id !== exceptPostId).flatMap((r) => [r.slug, r.publishedSlug ?? r.slug]);
  return firstFreeSlug(base, new Set(taken));
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
  await dispatch(row, "save", { newVersion: true });
  return toOwnPost(row);
}

/** Fields an edit may change; each is stored as given (already normalised by the input schema). */
type Edit = z.output<typeof postUpdateSchema>;

function editedFields(current: PostRow, input: Edit) {
  return {
    title: input.title ?? current.title,
    markdown: input.markdown ?? current.markdown,
    tags: input.tags ?? current.tags,
    coverImageUrl: input.coverImageUrl !== undefined ? input.coverImageUrl : current.coverImageUrl,
    coverImageAlt: input.coverImageAlt !== undefined ? input.coverImageAlt : current.coverImageAlt,
    canonicalUrl: input.canonicalUrl !== undefined ? input.canonicalUrl : current.canonicalUrl,
    excerptOverride: input.excerpt !== undefined ? input.excerpt : current.excerptOverride,
  };
}

function sameFields(current: PostRow, next: ReturnType<typeof editedFields>): boolean {
  return (
    next.title === current.title &&
    next.markdown === current.markdown &&
    next.tags.join(",") === current.tags.join(",") &&
    next.coverImageUrl === current.coverImageUrl &&
    next.coverImageAlt === current.coverImageAlt &&
    next.canonicalUrl === current.canonicalUrl &&
    next.excerptOverride === current.excerptOverride
  );
}

async function nextSlug(tx: Tx, current: PostRow, input: Edit, title: string): Promise<string> {
  if (input.slug !== undefined && input.slug !== current.slug) {
    const [taken] = await tx
      .select({ id: posts.id })
      .from(posts)
      .where(and(slugTakenBy(current.authorId, input.slug), ne(posts.id, current.id)));
    if (taken) {
      throw new TRPCError({ code: "CONFLICT", message: "Another of your posts already uses that slug.", cause: { field: "slug" } });
    }
    return input.slug;
  }
  // An untouched (generated) slug follows the title while the post is a draft that was never public.
  const generated = isGeneratedSlug(current.slug, current.title);
  if (input.slug === undefined && current.visibility === "draft" && current.publishedAt === null && generated && title !== current.title) {
    return freeSlug(tx, current.authorId, title, current.id);
  }
  return current.slug;
}

/** What a save answers (SavedPost), minus the Markdown: a text-only save already has it from the input. */
const { markdown: _markdown, html: _html, ...savedPostColumnsButMarkdown } = {
  id: posts.id,
  authorId: posts.authorId,
  title: posts.title,
  slug: posts.slug,
  markdown: posts.markdown,
  html: posts.html,
  excerpt: posts.excerpt,
  excerptOverride: posts.excerptOverride,
  tags: posts.tags,
  coverImageUrl: posts.coverImageUrl,
  coverImageAlt: posts.coverImageAlt,
  canonicalUrl: posts.canonicalUrl,
  wordCount: posts.wordCount,
  readingTimeMinutes: posts.readingTimeMinutes,
  visibility: posts.visibility,
  scheduledAt: posts.scheduledAt,
  status: posts.status,
  version: posts.version,
  processedVersion: posts.processedVersion,
  publishedVersion: posts.publishedVersion,
  publishedSlug: posts.publishedSlug,
  goingLiveVersion: posts.goingLiveVersion,
  goingLiveAt: posts.goingLiveAt,
  error: posts.error,
  createdAt: posts.createdAt,
  updatedAt: posts.updatedAt,
  publishedAt: posts.publishedAt,
};

/**
 * updateTextOnly's UPDATE as a prepared statement. Drizzle sends other queries unnamed, and postgres.js
 * then waits for the server to describe the parameters before it sends them (two round trips, and a
 * parse and plan on every call); this one is parsed and planned once per connection and runs in one
 * round trip. It is what every autosave runs.
 */
const updateTextOnlyStatement = db
  .update(posts)
  .set({
    markdown: sql`${sql.placeholder("markdown")}`,
    version: sql`${posts.version} + 1`,
    status: "queued",
    error: null,
    updatedAt: sql`${sql.placeholder("now")}::timestamptz`,
    queuedAt: sql`${sql.placeholder("now")}::timestamptz`,
  })
  .where(
    and(
      eq(posts.id, sql.placeholder("id")),
      eq(posts.authorId, sql.placeholder("authorId")),
      eq(posts.version, sql.placeholder("version")),
      ne(posts.markdown, sql.placeholder("markdown")),
    ),
  )
  .returning(savedPostColumnsButMarkdown)
  .prepare("posts_update_text_only");

/**
 * The autosave fast path: an edit of the text alone, as one compare-and-set UPDATE (no transaction,
 * one round trip instead of four). It applies only when the row is at the expected version and the
 * text really changed; null means "not applied here" (stale, missing, not the writer's, unchanged),
 * and the caller takes the locking path, which tells those cases apart. The text touches neither the
 * slug nor the redirects, so nothing else in the locking path applies to it.
 */
async function updateTextOnly(authorId: string, input: Edit & { markdown: string }): Promise<SavedPost | null> {
  const [row] = await updateTextOnlyStatement.execute({
    id: input.id,
    authorId,
    version: input.version,
    markdown: input.markdown,
    // A string, not a Date: placeholders skip the column's own conversion.
    now: new Date().toISOString(),
  });
  if (!row) return null;
  await dispatch(row, "save", { newVersion: true });
  return toSavedPost({ ...row, markdown: input.markdown });
}

/** Only `markdown` (besides id and version) was sent: what the editor's autosave sends while typing. */
function isTextOnly(input: Edit): input is Edit & { markdown: string } {
  return (
    input.markdown !== undefined &&
    (Object.keys(input) as (keyof Edit)[]).every((key) => key === "id" || key === "version" || key === "markdown" || input[key] === undefined)
  );
}

export async function updatePost(authorId: string, input: Edit): Promise<SavedPost> {
  if (isTextOnly(input)) {
    const saved = await updateTextOnly(authorId, input);
    if (saved) return saved;
  }
  const result = await withSlugRetry(() =>
    db.transaction(async (tx) => {
      const current = await lockOwnPost(tx, authorId, input.id);
      if (current.version !== input.version) {
        throw new TRPCError({
          code: "CONFLICT",
          message: `This post was changed elsewhere (now version ${current.version}, your edit is based on version ${input.version}).`,
        });
      }
      const fields = editedFields(current, input);
      const slug = await nextSlug(tx, current, input, fields.title);
      if (sameFields(current, fields) && slug === current.slug) return { row: current, changed: false };

      if (slug !== current.slug) await rememberOldSlug(tx, current, slug);
      const now = new Date();
      const [updated] = await tx
        .update(posts)
        .set({ ...fields, slug, version: current.version + 1, status: "queued", error: null, updatedAt: now, queuedAt: now })
        .where(eq(posts.id, current.id))
        .returning();
      if (!updated) throw notFound();
      return { row: updated, changed: true };
    }),
  );
  if (result.changed) await dispatch(result.row, "save", { newVersion: true });
  return toSavedPost(result.row);
}

/** A post that was ever public keeps answering at its old slug (301 to the new one). */
async function rememberOldSlug(tx: Tx, current: PostRow, newSlug: string): Promise<void> {
  // The new slug is this post's now: a redirect from it to anywhere would shadow nothing, so drop it.
  await tx.delete(slugRedirects).where(and(eq(slugRedirects.authorId, current.authorId), eq(slugRedirects.slug, newSlug)));
  if (current.publishedAt === null && current.visibility === "draft") return;
  await tx
    .insert(slugRedirects)
    .values({ authorId: current.authorId, slug: current.slug, postId: current.id })
    .onConflictDoUpdate({ target: [slugRedirects.authorId, slugRedirects.slug], set: { postId: current.id, createdAt: new Date() } });
}

export async function deletePost(authorId: string, id: string): Promise<{ id: string }> {
  const [deleted] = await db
    .delete(posts)
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId)))
    .returning({ id: posts.id, authorId: posts.authorId, version: posts.version, status: posts.status, visibility: posts.visibility, error: posts.error });
  if (!deleted) throw notFound();
  // Readers' cached pages must drop a post that was public. A pending job finds no row and ends.
  if (deleted.visibility === "published") await announcePost({ ...deleted, visibility: "draft" }, { unpublished: true });
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

/** The user's text matched literally by LIKE: % and _ are not wildcards to a writer. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function encodeCursor(row: Pick<PostRow, "updatedAt" | "id">): string {
  return encodePageCursor({ at: row.updatedAt, id: row.id });
}

/** BAD_REQUEST for anything encodeCursor did not write (./cursor.ts). */
function decodeCursor(cursor: string): { updatedAt: Date; id: string } {
  const { at, id } = decodePageCursor(cursor);
  return { updatedAt: at, id };
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
        input.filter === "failed" ? eq(posts.status, "failed") : input.filter ? eq(posts.visibility, input.filter) : undefined,
        input.query ? ilike(posts.title, `%${escapeLike(input.query)}%`) : undefined,
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
 * Makes the locked row's working copy live: Publish for a post readers have never seen, Update for a
 * live one (its edits stay private until then). A version the worker has already rendered goes live at
 * once from that rendering: rendering it again would give the same html and only keep readers waiting.
 * Otherwise the row records that this version is to go live (`goingLiveVersion`), and the worker makes
 * it live when it finishes rendering it; readers keep the previous live version, if any, until then. A
 * version still queued or processing needs no new job; a failed one (or a ready one rendered before its
 * text was kept, migration 0005) is queued again.
 */
async function publishLocked(tx: Tx, current: PostRow): Promise<{ row: PostRow; needsJob: boolean }> {
  if (current.visibility === "published" && current.publishedVersion === current.version) {
    if (current.scheduledAt === null && current.goingLiveVersion === null) return { row: current, needsJob: false };
    // Already live as it is: a scheduled update or a pending one has nothing left to do.
    const [row] = await tx.update(posts).set({ scheduledAt: null, goingLiveVersion: null, goingLiveAt: null }).where(eq(posts.id, current.id)).returning();
    if (!row) throw notFound();
    return { row, needsJob: false };
  }
  if (isRenderedCurrentVersion(current)) return { row: await publishRenderedVersion(tx, current), needsJob: false };
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
  if (!updated) throw notFound();
  return { row: updated, needsJob };
}

async function afterPublish({ row, needsJob }: { row: PostRow; needsJob: boolean }): Promise<void> {
  if (needsJob) await dispatch(row, "publish");
  else await announcePost(row);
}

function refuseStale(current: PostRow, version: number | undefined): void {
  if (version !== undefined && current.version !== version) {
    throw new TRPCError({
      code: "CONFLICT",
      message: `This post changed after you reviewed it (now version ${current.version}, you reviewed version ${version}). Review it again.`,
    });
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
      throw new TRPCError({ code: "BAD_REQUEST", message: "Only a live post has changes to discard." });
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
    if (!restored) throw notFound();
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
    if (!updated) throw notFound();
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

/** Scheduled posts and updates whose time has passed: the sweep publishes them if their job was lost. */
export async function listOverdueScheduledPosts(graceSeconds: number, limit: number) {
  return db
    .select({ postId: posts.id, scheduledAt: posts.scheduledAt })
    .from(posts)
    .where(and(isNotNull(posts.scheduledAt), ne(posts.visibility, "draft"), lt(posts.scheduledAt, sql`now() - make_interval(secs => ${graceSeconds})`)))
    .orderBy(asc(posts.scheduledAt))
    .limit(limit);
}

/** Takes the post off the public site at once; the working copy and its rendering stay for the writer. */
export async function unpublishPost(authorId: string, id: string): Promise<OwnPost> {
  const [row] = await db
    .update(posts)
    .set({ visibility: "draft", scheduledAt: null, ...noLiveColumns })
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId)))
    .returning();
  if (!row) throw notFound();
  await announcePost(row, { unpublished: true });
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

const isPublic = and(eq(posts.visibility, "published"), isNotNull(posts.publishedHtml), isNotNull(posts.publishedAt), isNotNull(posts.publishedSlug));

/** A link to another published post. */
export interface PostLink {
  title: string;
  slug: string;
}

export interface PublicPostPage extends PublicPost {
  /** The author's previous (older) and next (newer) published posts. */
  previous: PostLink | null;
  next: PostLink | null;
}

/**
 * A published post by its author's username and its slug, or by a slug it had before (the answer's
 * `slug` then differs and the page redirects). Drafts and unknown posts are NOT_FOUND.
 */
export async function getPublishedPost(username: string, slug: string): Promise<PublicPostPage> {
  const author = await getPublicProfileByUsername(username);
  if (!author) throw notFound();
  let [row] = await readDb
    .select(publicPostColumns)
    .from(posts)
    .where(and(eq(posts.authorId, author.id), eq(posts.publishedSlug, slug), isPublic));
  if (!row) {
    [row] = await readDb
      .select(publicPostColumns)
      .from(slugRedirects)
      .innerJoin(posts, eq(posts.id, slugRedirects.postId))
      .where(and(eq(slugRedirects.authorId, author.id), eq(slugRedirects.slug, slug), isPublic));
  }
  const post = row ? toPublicPost(row, author) : null;
  if (!row || !post) throw notFound();
  const link = { title: sql<string>`${posts.publishedTitle}`, slug: sql<string>`${posts.publishedSlug}` };
  const sameAuthor = and(eq(posts.authorId, author.id), isPublic);
  const [[previous], [next]] = await Promise.all([
    readDb
      .select(link)
      .from(posts)
      .where(and(sameAuthor, or(lt(posts.publishedAt, post.publishedAt), and(eq(posts.publishedAt, post.publishedAt), lt(posts.id, post.id)))))
      .orderBy(desc(posts.publishedAt), desc(posts.id))
      .limit(1),
    readDb
      .select(link)
      .from(posts)
      .where(and(sameAuthor, or(gt(posts.publishedAt, post.publishedAt), and(eq(posts.publishedAt, post.publishedAt), gt(posts.id, post.id)))))
      .orderBy(asc(posts.publishedAt), asc(posts.id))
      .limit(1),
  ]);
  return { ...post, previous: previous ?? null, next: next ?? null };
}

/** The published versions of the writer's post, newest first. */
export async function listRevisions(authorId: string, id: string) {
  await getOwnPost(authorId, id); // NOT_FOUND for someone else's post
  return db
    .select({ version: revisions.version, title: revisions.title, publishedAt: revisions.publishedAt })
    .from(revisions)
    .where(eq(revisions.postId, id))
    .orderBy(desc(revisions.version));
}

export async function getRevision(authorId: string, id: string, version: number) {
  await getOwnPost(authorId, id);
  const [revision] = await db
    .select({ version: revisions.version, title: revisions.title, markdown: revisions.markdown, html: revisions.html, publishedAt: revisions.publishedAt })
    .from(revisions)
    .where(and(eq(revisions.postId, id), eq(revisions.version, version)));
  if (!revision) throw new TRPCError({ code: "NOT_FOUND", message: "No such revision." });
  return revision;
}

/** Brings back a revision's title and text as a new version (an ordinary edit, so it can be undone). */
export async function restoreRevision(authorId: string, input: { id: string; revision: number; version: number }): Promise<SavedPost> {
  const revision = await getRevision(authorId, input.id, input.revision);
  return updatePost(authorId, { id: input.id, version: input.version, title: revision.title, markdown: revision.markdown });
}

/** The latest published posts across all writers (home page), or one writer's (author page). */
export async function listPublishedPosts(options: { authorId?: string; limit?: number }): Promise<PublicPost[]> {
  return (await pagePublishedPosts({ authorId: options.authorId, limit: options.limit ?? 20 })).items;
}

function encodePublishedCursor(post: Pick<PublicPost, "publishedAt" | "id">): string {
  return encodePageCursor({ at: post.publishedAt, id: post.id });
}

async function withAuthors(rows: PublicPostRow[]): Promise<PublicPost[]> {
  const authors = await getPublicProfilesByIds(rows.map((r) => r.authorId));
  return rows.flatMap((row) => {
    const author = authors.get(row.authorId);
    const post = author ? toPublicPost(row, author) : null;
    return post ? [post] : [];
  });
}

/** Published posts, newest first, keyset-paginated; optionally one writer's or one tag's. */
export async function pagePublishedPosts(options: {
  authorId?: string;
  tag?: string;
  limit: number;
  cursor?: string | null;
}): Promise<{ items: PublicPost[]; nextCursor: string | null }> {
  const after = options.cursor ? decodeCursor(options.cursor) : null; // same shape: time|id
  const rows = await readDb
    .select(publicPostColumns)
    .from(posts)
    .where(
      and(
        isPublic,
        options.authorId ? eq(posts.authorId, options.authorId) : undefined,
        options.tag ? arrayContains(posts.publishedTags, [options.tag]) : undefined,
        after ? or(lt(posts.publishedAt, after.updatedAt), and(eq(posts.publishedAt, after.updatedAt), lt(posts.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(posts.publishedAt), desc(posts.id))
    .limit(options.limit + 1);
  const items = await withAuthors(rows.slice(0, options.limit));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > options.limit && last ? encodePublishedCursor(last) : null };
}

/** A search hit: the post plus a snippet whose matches are wrapped in <mark> (all else HTML-escaped). */
export interface SearchHit extends PublicPost {
  snippet: string;
}

// Control characters the input schemas refuse (lib/validations/text.ts) mark the matches until the
// snippet is escaped; any copy of them in older rows is removed before ts_headline adds its own, so
// text can never open or close a <mark>.
const MARK_START = "\u0002";
const MARK_END = "\u0003";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

/**
 * The SQL of a parsed search: each word must match a word beginning in the post's text (title weighted
 * above body), its author's name, or one of its tags; phrases must appear; excluded words must not.
 * Every condition can use an index (the search vector's GIN, the tags' GIN, the author index), so
 * Postgres can combine them with a bitmap OR instead of reading every post.
 */
function searchConditions(query: SearchQuery, authorsByWord: Map<string, string[]>) {
  const prefixQuery = (word: string) => sql`to_tsquery('english', ${`${word}:*`})`;
  const wordMatches = query.words.map((word, index) => {
    const authorIds = authorsByWord.get(word) ?? [];
    // Tags are whole, lower-case and hyphenated: the word itself, or joined to its neighbour ("web dev" → web-dev).
    const tags = [word, ...[query.words[index - 1], query.words[index + 1]].flatMap((next, side) => (next ? [side === 0 ? `${next}-${word}` : `${word}-${next}`] : []))];
    return {
      text: sql`${posts.searchVector} @@ ${prefixQuery(word)}`,
      tag: sql`${posts.tags} && ${sql`array[${sql.join(tags.map((tag) => sql`${tag}`), sql`, `)}]::text[]`}`,
      author: authorIds.length > 0 ? inArray(posts.authorId, authorIds) : sql`false`,
    };
  });
  const phraseQueries = query.phrases.map((phrase) => sql`phraseto_tsquery('english', ${phrase})`);
  const where = and(
    ...wordMatches.map((m) => or(m.text, m.tag, m.author)),
    ...phraseQueries.map((q) => sql`${posts.searchVector} @@ ${q}`),
    ...query.excluded.map((word) => sql`not (${posts.searchVector} @@ ${prefixQuery(word)})`),
  );
  // Ranking: text relevance (title matches weigh more), plus a little for a match in the author's name or a tag.
  const textQuery = sql.join([...query.words.map(prefixQuery), ...phraseQueries], sql` || `);
  const bonuses = wordMatches.map((m) => sql`(case when ${m.author} then 0.5 else 0 end) + (case when ${m.tag} then 0.3 else 0 end)`);
  const rank = sql`ts_rank_cd(${posts.searchVector}, ${textQuery}) + ${bonuses.length > 0 ? sql.join(bonuses, sql` + `) : sql`0`}`;
  return { where, rank, textQuery };
}

/** The words that mean something to an English text search (stop words such as "the" have no lexeme). */
async function withoutStopWords(words: readonly string[]): Promise<string[]> {
  if (words.length === 0) return [];
  const rows = await readDb.execute<{ word: string }>(
    sql`select word from unnest(array[${sql.join(words.map((word) => sql`${word}`), sql`, `)}]::text[]) as word where numnode(to_tsquery('english', word || ':*')) > 0`,
  );
  const meaningful = new Set([...rows].map((row) => row.word));
  return words.filter((word) => meaningful.has(word));
}

/**
 * Full-text search over published posts, best match first: word beginnings ("releas" finds "release"),
 * "quoted phrases", -excluded words, and authors' names and tags (see search-query.ts).
 */
export async function searchPublishedPosts(input: string, options: { limit: number; offset: number }): Promise<{ items: SearchHit[]; nextOffset: number | null }> {
  const parsed = parseSearchQuery(input);
  const query = { ...parsed, words: await withoutStopWords(parsed.words) };
  if (query.words.length === 0 && query.phrases.length === 0) return { items: [], nextOffset: null };
  const { where, rank, textQuery } = searchConditions(query, await findAuthorIdsByNamePrefix(query.words));
  const rows = await readDb
    .select({
      row: publicPostColumns,
      snippet: sql<string>`ts_headline('english', translate(coalesce(${posts.publishedText}, ''), ${MARK_START + MARK_END}, ''), ${textQuery}, ${`StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`})`,
    })
    .from(posts)
    .where(and(isPublic, where))
    .orderBy(desc(rank), desc(posts.publishedAt), desc(posts.id))
    .limit(options.limit + 1)
    .offset(options.offset);
  const page = rows.slice(0, options.limit);
  const published = await withAuthors(page.map((r) => r.row));
  const snippets = new Map(page.map((r) => [r.row.id, r.snippet]));
  const items = published.map((post) => ({
    ...post,
    snippet: escapeHtml(snippets.get(post.id) ?? "").replaceAll(MARK_START, "<mark>").replaceAll(MARK_END, "</mark>"),
  }));
  return { items, nextOffset: rows.length > options.limit ? options.offset + options.limit : null };
}

/** Tags in use on published posts, most used first (tag pages, sitemap). */
export async function listPublishedTags(limit = 200): Promise<{ tag: string; count: number }[]> {
  const rows = await readDb.execute<{ tag: string; count: number }>(sql`
    select t.tag, count(*)::int as count
    from ${posts} cross join lateral unnest(${posts.publishedTags}) as t(tag)
    where ${isPublic}
    group by t.tag
    order by count(*) desc, t.tag
    limit ${limit}`);
  return [...rows];
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
