import { eq } from "drizzle-orm";
import { db } from "../db";
import { posts, type PostRow } from "./schema";

// What the newsletter module needs of a post, read by the posts module that owns the table: whether it is
// live (and its live version, from the primary: a send starts right after publishing), or still on its
// way there (scheduled, or rendering the version that goes live).

export interface PostMailSource {
  id: string;
  authorId: string;
  visibility: PostRow["visibility"];
  scheduledAt: Date | null;
  goingLiveVersion: number | null;
  /** The live version, when readers can see the post. */
  live: { title: string; slug: string; html: string; excerpt: string; publishedAt: Date } | null;
  /** The working copy as last rendered (what a test send shows before publishing). */
  draft: { title: string; slug: string; html: string } | null;
}

export async function getPostMailSource(postId: string): Promise<PostMailSource | null> {
  const [row] = await db
    .select({
      id: posts.id,
      authorId: posts.authorId,
      visibility: posts.visibility,
      scheduledAt: posts.scheduledAt,
      goingLiveVersion: posts.goingLiveVersion,
      title: posts.publishedTitle,
      slug: posts.publishedSlug,
      html: posts.publishedHtml,
      excerpt: posts.publishedExcerpt,
      publishedAt: posts.publishedAt,
      draftTitle: posts.title,
      draftSlug: posts.slug,
      draftHtml: posts.html,
    })
    .from(posts)
    .where(eq(posts.id, postId));
  if (!row) return null;
  const { title, slug, html, excerpt, publishedAt, draftTitle, draftSlug, draftHtml, ...state } = row;
  const isLive = row.visibility === "published" && title !== null && slug !== null && html !== null && publishedAt !== null;
  return {
    ...state,
    live: isLive ? { title, slug, html, excerpt: excerpt ?? "", publishedAt } : null,
    draft: draftHtml !== null ? { title: draftTitle, slug: draftSlug, html: draftHtml } : null,
  };
}
