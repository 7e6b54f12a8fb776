import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { db, type Transaction } from "../db";
import { posts, type PostRow } from "./schema";
import { announcePost, statusColumns } from "./status-events";

// Whole-account operations on a writer's posts, for export and account deletion (server/portability,
// server/users/delete-account.ts). The posts module owns the table; these are its only readers and
// writers of all of one author's rows at once.

/** The columns an export writes for each post (the working copy, its rendering, and the live dates). */
const exportColumns = {
  id: posts.id,
  title: posts.title,
  slug: posts.slug,
  markdown: posts.markdown,
  html: posts.html,
  tags: posts.tags,
  visibility: posts.visibility,
  excerptOverride: posts.excerptOverride,
  excerpt: posts.excerpt,
  coverImageUrl: posts.coverImageUrl,
  canonicalUrl: posts.canonicalUrl,
  scheduledAt: posts.scheduledAt,
  publishedAt: posts.publishedAt,
  createdAt: posts.createdAt,
  updatedAt: posts.updatedAt,
};
export type ExportedPost = Pick<PostRow, keyof typeof exportColumns>;

/** One page of the author's posts in id order (keyset), so an export never holds them all at once. */
export async function pageAuthorPosts(authorId: string, afterId: string | null, limit: number): Promise<ExportedPost[]> {
  return db
    .select(exportColumns)
    .from(posts)
    .where(afterId ? and(eq(posts.authorId, authorId), gt(posts.id, afterId)) : eq(posts.authorId, authorId))
    .orderBy(asc(posts.id))
    .limit(limit);
}

type AnnouncedRow = Pick<PostRow, "id" | "authorId" | "version" | "status" | "visibility" | "error" | "publishedHtml">;

/**
 * Deletes every post of the author (revisions and old-slug redirects go with them, by cascade) in the
 * caller's transaction. Returns what announceDeletedPosts needs once the transaction commits.
 */
export async function deleteAuthorPosts(tx: Transaction, authorId: string): Promise<AnnouncedRow[]> {
  const ids = await tx.select({ id: posts.id }).from(posts).where(eq(posts.authorId, authorId));
  const deleted: AnnouncedRow[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const batch = ids.slice(i, i + 1000).map((r) => r.id);
    deleted.push(
      ...(await tx.delete(posts).where(and(eq(posts.authorId, authorId), inArray(posts.id, batch))).returning({ ...statusColumns, publishedHtml: posts.publishedHtml })),
    );
  }
  return deleted;
}

/** Tells open pages and every web process's public cache that the posts are gone. */
export async function announceDeletedPosts(rows: AnnouncedRow[]): Promise<void> {
  for (const row of rows) await announcePost(row, row.publishedHtml !== null ? { readers: "removed" } : {});
}
