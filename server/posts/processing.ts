import { and, eq, ne } from "drizzle-orm";
import type { RenderedPost } from "../render";
import { db } from "../db";
import { posts, revisions, type PostRow } from "./schema";

// The worker's writes to the posts schema. They live in the posts module, which owns the table; each is
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
 * Stores the rendering of `version` and marks it `ready`, in one transaction holding the row lock. If the
 * post is published at that moment, readers get this version too. Returns the row, or null if stale.
 */
export async function completeProcessing(postId: string, version: number, rendered: RenderedPost): Promise<PostRow | null> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(posts).where(eq(posts.id, postId)).for("update");
    if (!current || current.version !== version) return null;
    const published = current.visibility === "published";
    const excerpt = current.excerptOverride ?? rendered.excerpt;
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
        ...(published && {
          publishedVersion: version,
          publishedTitle: current.title,
          publishedHtml: rendered.html,
          publishedExcerpt: excerpt,
          publishedText: rendered.text,
          publishedToc: rendered.toc,
          publishedWordCount: rendered.wordCount,
          publishedReadingTimeMinutes: rendered.readingTimeMinutes,
          publishedAt: current.publishedAt ?? new Date(),
        }),
      })
      .where(eq(posts.id, postId))
      .returning();
    if (published) {
      // Each published version is kept as a revision; a re-run of the same version adds nothing.
      await tx
        .insert(revisions)
        .values({ postId, version, title: current.title, markdown: current.markdown, html: rendered.html })
        .onConflictDoNothing();
    }
    return row ?? null;
  });
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
