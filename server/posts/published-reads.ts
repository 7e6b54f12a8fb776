import { and, arrayContains, asc, desc, eq, gt, isNotNull, lt, or, sql } from "drizzle-orm";
import { readDb } from "../db";
import { AppError } from "../errors";
import { getPublicProfileByUsername, getPublicProfilesByIds, type PublicProfile } from "../users/service";
import { decodePageCursor, encodePageCursor } from "./cursor";
import { postNotFound, publicPostColumns, toPublicPost, type PublicPost, type PublicPostPage, type PublicPostRow } from "./dto";
import { posts, slugRedirects } from "./schema";

// What readers see: the live version of published posts, from the read replicas. Authors come only
// from the users module.

/** A post readers may see: published, and its live version rendered. */
export const isPublic = and(eq(posts.visibility, "published"), isNotNull(posts.publishedHtml), isNotNull(posts.publishedAt), isNotNull(posts.publishedSlug));

/**
 * A published post by its author's username and its slug, or by a slug it had before (the answer's
 * `slug` then differs and the page redirects). Drafts and unknown posts are NOT_FOUND.
 */
export async function getPublishedPost(username: string, slug: string): Promise<PublicPostPage> {
  const author = await getPublicProfileByUsername(username);
  if (!author) throw postNotFound();
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
  if (!row || !post) throw postNotFound();
  const link = { id: posts.id, title: sql<string>`${posts.publishedTitle}`, slug: sql<string>`${posts.publishedSlug}` };
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


/** The latest published posts across all writers (home page), or one writer's (author page). */
export async function listPublishedPosts(options: { authorId?: string; limit?: number }): Promise<PublicPost[]> {
  return (await pagePublishedPosts({ authorId: options.authorId, limit: options.limit ?? 20 })).items;
}

/** The rows as readers' posts, each with its author (rows whose author is gone or unconfirmed are left out). */
export async function withAuthors(rows: PublicPostRow[]): Promise<PublicPost[]> {
  const authors = await getPublicProfilesByIds(rows.map((r) => r.authorId));
  return rows.flatMap((row) => {
    const author = authors.get(row.authorId);
    const post = author ? toPublicPost(row, author) : null;
    return post ? [post] : [];
  });
}

interface PageOptions {
  tag?: string;
  limit: number;
  cursor?: string | null;
}
interface PublishedPage {
  items: PublicPost[];
  nextCursor: string | null;
}

/** Published posts, newest first, keyset-paginated; optionally one writer's or one tag's. */
export async function pagePublishedPosts(options: PageOptions & { authorId?: string }): Promise<PublishedPage> {
  const after = options.cursor ? decodePageCursor(options.cursor) : null;
  const rows = await readDb
    .select(publicPostColumns)
    .from(posts)
    .where(
      and(
        isPublic,
        options.authorId ? eq(posts.authorId, options.authorId) : undefined,
        options.tag ? arrayContains(posts.publishedTags, [options.tag]) : undefined,
        after ? or(lt(posts.publishedAt, after.at), and(eq(posts.publishedAt, after.at), lt(posts.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(posts.publishedAt), desc(posts.id))
    .limit(options.limit + 1);
  const items = await withAuthors(rows.slice(0, options.limit));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > options.limit && last ? encodePageCursor({ at: last.publishedAt, id: last.id }) : null };
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

/** A writer's name that matches no confirmed account. */
const noSuchWriter = () => new AppError("NOT_FOUND", "No writer by that name.");

/**
 * pagePublishedPosts with the writer named by `username` (the author page, its feed, the REST API's
 * `author=`), and that writer's profile: NOT_FOUND when no writer has that name. Without `username`,
 * every writer's posts and `author: null`.
 */
export async function pagePublishedPostsByUsername(options: PageOptions & { username: string }): Promise<PublishedPage & { author: PublicProfile }>;
export async function pagePublishedPostsByUsername(options: PageOptions & { username?: string }): Promise<PublishedPage & { author: PublicProfile | null }>;
export async function pagePublishedPostsByUsername(options: PageOptions & { username?: string }): Promise<PublishedPage & { author: PublicProfile | null }> {
  const author = options.username === undefined ? null : await getPublicProfileByUsername(options.username);
  if (options.username !== undefined && !author) throw noSuchWriter();
  const page = await pagePublishedPosts({ authorId: author?.id, tag: options.tag, limit: options.limit, cursor: options.cursor });
  return { author, ...page };
}
