import { and, desc, eq, ilike, lt, or } from "drizzle-orm";
import type { z } from "zod";
import type { postListSchema } from "@/lib/validations/post";
import { db } from "../db";
import { AppError } from "../errors";
import { decodePageCursor, encodePageCursor } from "./cursor";
import { postNotFound, toOwnPost, type OwnPost } from "./dto";
import { posts, revisions } from "./schema";

// What the writer reads of their own posts: one post, the dashboard's list, and its published revisions.
// Always from the primary: the writer must see their own writes at once.

export async function getOwnPost(authorId: string, id: string): Promise<OwnPost> {
  const [row] = await db
    .select()
    .from(posts)
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId)));
  if (!row) throw postNotFound();
  return toOwnPost(row);
}

/** The user's text matched literally by LIKE: % and _ are not wildcards to a writer. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The writer's own posts, newest edit first, keyset-paginated. */
export async function listOwnPosts(
  authorId: string,
  input: z.output<typeof postListSchema>,
): Promise<{ items: OwnPost[]; nextCursor: string | null }> {
  const after = input.cursor ? decodePageCursor(input.cursor) : null;
  const rows = await db
    .select()
    .from(posts)
    .where(
      and(
        eq(posts.authorId, authorId),
        input.visibility ? eq(posts.visibility, input.visibility) : undefined,
        input.filter === "failed" ? eq(posts.status, "failed") : input.filter ? eq(posts.visibility, input.filter) : undefined,
        input.query ? ilike(posts.title, `%${escapeLike(input.query)}%`) : undefined,
        after ? or(lt(posts.updatedAt, after.at), and(eq(posts.updatedAt, after.at), lt(posts.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(posts.updatedAt), desc(posts.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toOwnPost),
    nextCursor: rows.length > input.limit && last ? encodePageCursor({ at: last.updatedAt, id: last.id }) : null,
  };
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
  if (!revision) throw new AppError("NOT_FOUND", "No such revision.");
  return revision;
}
