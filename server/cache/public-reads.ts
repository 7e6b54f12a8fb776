import "server-only";
import { connection } from "next/server";
import { cache } from "react";
import { buildFeed, type FeedScope } from "../feeds";
import type { PublicPost, PublicPostPage } from "../posts/dto";
import { getPublishedPost, listPublishedTags, pagePublishedPosts, pagePublishedPostsByUsername } from "../posts/published-reads";

// The one path by which public pages read (home, author, post, tags, feeds, sitemap): straight from the
// services, on a read replica when there is one. Pages are cached whole, as HTML, by the origin cache in
// front of Next (server/cache/origin-cache.ts) and by any shared cache in front of that, and purged when
// a writer changes something (server/cache/purge.ts); so there is no data cache here to keep in step.
// What a page shows never depends on who is reading (README "Reading at scale").

/** Posts per list page (home, author, tag). */
export const LIST_PAGE_SIZE = 10;

/** A post in a list: everything but the body. */
export type PostSummary = Omit<PublicPost, "html" | "toc">;

export interface PostListPage {
  items: PostSummary[];
  nextCursor: string | null;
}

export interface AuthorProfile {
  username: string;
  displayName: string;
  bio: string;
  createdAt: Date;
}

function summarize({ html: _html, toc: _toc, ...summary }: PublicPost): PostSummary {
  return summary;
}

/** Reads happen per request, never while `next build` prerenders (there is no database then). */
async function atRequestTime<T>(load: () => Promise<T>): Promise<T> {
  await connection();
  return load();
}

async function loadList(input: { authorId?: string; tag?: string; cursor: string | null }): Promise<PostListPage> {
  const page = await pagePublishedPosts({ ...input, limit: LIST_PAGE_SIZE });
  return { items: page.items.map(summarize), nextCursor: page.nextCursor };
}

export interface SitemapData {
  posts: { id: string; username: string; slug: string; updatedAt: Date }[];
  tags: { tag: string; lastModified: Date }[];
  authors: { username: string; lastModified: Date }[];
}

function latest(dates: Map<string, Date>, key: string, date: Date): void {
  const current = dates.get(key);
  if (!current || current < date) dates.set(key, date);
}

/** A sitemap holds at most 50,000 addresses; past that the sitemap would need splitting. */
const SITEMAP_MAX_POSTS = 45_000;

/** What the sitemap lists, read from the published posts (live versions only). */
export async function loadSitemapData(): Promise<SitemapData> {
  const posts: SitemapData["posts"] = [];
  const tags = new Map<string, Date>();
  const authors = new Map<string, Date>();
  let cursor: string | null = null;
  do {
    const page: { items: PublicPost[]; nextCursor: string | null } = await pagePublishedPosts({ cursor, limit: 50 });
    for (const post of page.items) {
      posts.push({ id: post.id, username: post.author.username, slug: post.slug, updatedAt: post.updatedAt });
      // A writer's or tag's page changes whenever one of its posts does.
      latest(authors, post.author.username, post.updatedAt);
      for (const tag of post.tags) latest(tags, tag, post.updatedAt);
    }
    cursor = page.nextCursor;
  } while (cursor && posts.length < SITEMAP_MAX_POSTS);
  return {
    posts,
    tags: [...tags].map(([tag, lastModified]) => ({ tag, lastModified })),
    authors: [...authors].map(([username, lastModified]) => ({ username, lastModified })),
  };
}


// The readers' API. React's `cache` shares one result between a page and its generateMetadata.

/** A published post by username and slug (or a former slug: the answer's `slug` then differs). */
export const readPostPage = cache((username: string, slug: string): Promise<PublicPostPage> => atRequestTime(() => getPublishedPost(username, slug)));

/** The newest published posts across writers; `cursor` pages further back. */
export const readLatestPosts = cache((cursor: string | null): Promise<PostListPage> => atRequestTime(() => loadList({ cursor })));

/** One tag's published posts; an unknown tag has none. */
export const readTagPosts = cache((tag: string, cursor: string | null): Promise<PostListPage> => atRequestTime(() => loadList({ tag, cursor })));

/** A writer's profile and published posts; AppError NOT_FOUND for an unknown writer. */
export const readAuthorPage = cache(
  (username: string, cursor: string | null): Promise<{ author: AuthorProfile; posts: PostListPage }> =>
    atRequestTime(async () => {
      const { author, items, nextCursor } = await pagePublishedPostsByUsername({ username, cursor, limit: LIST_PAGE_SIZE });
      return {
        author: { username: author.username, displayName: author.displayName, bio: author.bio, createdAt: author.createdAt },
        posts: { items: items.map(summarize), nextCursor },
      };
    }),
);

/** Tags in use, most used first. */
export const readTags = cache((): Promise<{ tag: string; count: number }[]> => atRequestTime(() => listPublishedTags()));

/** Everything the sitemap lists. */
export const readSitemap = cache((): Promise<SitemapData> => atRequestTime(loadSitemapData));

/** A feed's RSS XML, or null for an unknown writer. */
export function readFeed(scope: FeedScope): Promise<string | null> {
  return atRequestTime(() => buildFeed(scope));
}
