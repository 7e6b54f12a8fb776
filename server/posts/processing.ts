import { and, eq, ne, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { RenderedPost } from "../render";
import { db, type Transaction } from "../db";
import { posts, revisions, type PostRow } from "./schema";

// The worker's writes to the posts schema, and the publishing of what it rendered. They live in the posts module, which owns the table; each is
// one statement or one transaction, and each checks the version so a late or duplicate job never
// overwrites a newer edit.

export type ProcessingTarget = Pick<PostRow, "id" | "authorId" | "version" | "markdown" | "visibility">;

/**
 * Marks the version `processing` and returns what to render, or null when there is nothing to do: the
 * post is gone, a newer version exists, or this version is already `ready`.
 */
export async function beginProcessing(postId: string, version: number): Promise<ProcessingTarget | null> {
  const [row] = await db
    .update(posts)
    .set({ status: "processing" })
    .where(and(eq(posts.id, postId), eq(posts.version, version), ne(posts.status, "ready")))
    .returning({
      id: posts.id,
      authorId: posts.authorId,
      version: posts.version,
      markdown: posts.markdown,
      visibility: posts.visibility,
    });
  return row ?? null;
}

/**
 * Stores the rendering of `version` and marks it `ready`. The UPDATE itself takes the row lock and
 * re-checks `version` against the newest row if a save or a publish commits first, so a stale job
 * changes nothing. Whether the post is published is decided by the row as it is at that moment (the
 * CASE expressions below), so a publish racing with processing is never missed; published versions
 * are also kept as revisions, in the same transaction. Returns the row, or null if stale.
 */
export async function completeProcessing(postId: string, version: number, rendered: RenderedPost): Promise<PostRow | null> {
  const isPublished = sql`${posts.visibility} = 'published'`;
  const ifPublished = (value: SQL | PgColumn | string | number, column: PgColumn) => sql`case when ${isPublished} then ${value} else ${column} end`;
  const excerpt = sql`coalesce(${posts.excerptOverride}, ${rendered.excerpt})`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(posts)
      .set({
        status: "ready",
        error: null,
        processedVersion: version,
        html: rendered.html,
        excerpt,
        wordCount: rendered.wordCount,
        readingTimeMinutes: rendered.readingTimeMinutes,
        text: rendered.text,
        toc: sql`${JSON.stringify(rendered.toc)}::jsonb`,
        publishedVersion: ifPublished(version, posts.publishedVersion),
        publishedTitle: ifPublished(posts.title, posts.publishedTitle),
        publishedHtml: ifPublished(rendered.html, posts.publishedHtml),
        publishedExcerpt: ifPublished(excerpt, posts.publishedExcerpt),
        publishedText: ifPublished(rendered.text, posts.publishedText),
        publishedToc: ifPublished(sql`${JSON.stringify(rendered.toc)}::jsonb`, posts.publishedToc),
        publishedWordCount: ifPublished(rendered.wordCount, posts.publishedWordCount),
        publishedReadingTimeMinutes: ifPublished(rendered.readingTimeMinutes, posts.publishedReadingTimeMinutes),
        publishedAt: ifPublished(sql`coalesce(${posts.publishedAt}, ${new Date().toISOString()}::timestamptz)`, posts.publishedAt),
      })
      .where(and(eq(posts.id, postId), eq(posts.version, version)))
      .returning();
    if (row?.visibility === "published") await keepRevision(tx, row, rendered.html);
    return row ?? null;
  });
}

/** Each published version is kept as a revision; publishing the same version again adds nothing. */
async function keepRevision(tx: Transaction, row: Pick<PostRow, "id" | "version" | "title" | "markdown">, html: string): Promise<void> {
  await tx
    .insert(revisions)
    .values({ postId: row.id, version: row.version, title: row.title, markdown: row.markdown, html })
    .onConflictDoNothing();
}

/** Whether the row's current version is rendered and stored with everything publishing it needs. */
export function isRenderedCurrentVersion(row: PostRow): boolean {
  return row.status === "ready" && row.processedVersion === row.version && row.html !== null && row.text !== null;
}

/**
 * Publishes the current version from its stored rendering, in the caller's transaction, with the row
 * locked and `isRenderedCurrentVersion` true: the same published columns `completeProcessing` writes,
 * copied inside PostgreSQL (the html never travels to the server and back). Keeps the revision.
 */
export async function publishRenderedVersion(tx: Transaction, current: PostRow): Promise<PostRow> {
  const [row] = await tx
    .update(posts)
    .set({
      visibility: "published",
      scheduledAt: null,
      publishedVersion: current.version,
      publishedTitle: sql`${posts.title}`,
      publishedHtml: sql`${posts.html}`,
      publishedExcerpt: sql`${posts.excerpt}`,
      publishedText: sql`${posts.text}`,
      publishedToc: sql`${posts.toc}`,
      publishedWordCount: sql`${posts.wordCount}`,
      publishedReadingTimeMinutes: sql`${posts.readingTimeMinutes}`,
      // JavaScript's clock, as in completeProcessing: millisecond precision, like every Date the app
      // reads back. now() has microseconds, and a post whose publishedAt is a few microseconds past the
      // Date it is read as would find itself as its own "next" post (getPublishedPost compares them).
      publishedAt: sql`coalesce(${posts.publishedAt}, ${new Date().toISOString()}::timestamptz)`,
    })
    .where(and(eq(posts.id, current.id), eq(posts.version, current.version), eq(posts.processedVersion, current.version)))
    .returning();
  if (!row?.html) throw new Error(`post ${current.id} changed while locked for publishing`);
  await keepRevision(tx, row, row.html);
  return row;
}

/**
 * Records a failed attempt. Between retries the post goes back to `queued` with the reason; after the
 * last attempt it is `failed`. Returns the row, or null if the version is stale.
 */
export async function recordProcessingFailure(
  postId: string,
  version: number,
  reason: string,
  final: boolean,
): Promise<PostRow | null> {
  const [row] = await db
    .update(posts)
    .set({ status: final ? "failed" : "queued", error: reason.slice(0, 1_000) })
    .where(and(eq(posts.id, postId), eq(posts.version, version), ne(posts.status, "ready")))
    .returning();
  return row ?? null;
}
