import "server-only";
import { unstable_cache } from "next/cache";
import { connection } from "next/server";
import { cache } from "react";
import superjson, { type SuperJSONResult } from "superjson";
import { buildFeed, type FeedScope } from "../feeds";
import { createCaller } from "../api/root";
import { createTRPCContext } from "../api/trpc";
import type { PublicPost, PublicPostPage } from "../posts/service";
import { SAFETY_NET_SECONDS, ensureCacheInvalidation, isFresh } from "./invalidation";
import { LISTS_TAG, PUBLIC_TAG, authorTag } from "./tags";

// The reading pages' data, from Next's data cache (`unstable_cache`: the Cache Components model would need
// `cacheComponents: true` for the whole app). Entries are tagged (server/cache/tags.ts) and dropped when
// the worker publishes, updates or unpublishes a post (server/cache/invalidation.ts), so an anonymous
// reader of a published page costs no database query until something on it changes.
//
// Only bounded key spaces are cached: post pages, the first page of each list, tags, sitemap and
// feeds. Older list pages (`?cursor=`) take any string a client sends, so they are read directly instead
// of letting crawlers fill the cache with one entry per made-up cursor. Errors (unknown writer or post)
// are never cached.
//
// Reads go through the public tRPC procedures (with an anonymous context), so they return exactly what
// any reader may see.

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

interface ReadOptions {
  /** Skip the cache: a writer looking at their own pages sees their edits at once. */
  fresh?: boolean;
}

/** Cached values carry when they were computed (checked against the changes this process heard of). */
interface Envelope {
  cachedAt: number;
  data: SuperJSONResult;
}

/** Thrown inside a cached function so that a value is returned but not stored (empty or missing). */
class Uncacheable<T> extends Error {
  constructor(readonly value: T) {
    super("not cached");
  }
}

function publicCaller() {
  return createCaller(createTRPCContext({ session: null, headers: new Headers() }));
}

function summarize({ html: _html, toc: _toc, ...summary }: PublicPost): PostSummary {
  return summary;
}

/**
 * Wraps a loader in the tagged data cache. `postIds` names the posts a value shows, so that an unpublished
 * post disappears from every cached page that showed it.
 */
function cachedRead<Args extends (string | null)[], T>(
  name: string,
  load: (...args: Args) => Promise<T>,
  tagsFor: (...args: Args) => string[],
  postIds: (value: T) => string[],
) {
  return async (options: ReadOptions, ...args: Args): Promise<T> => {
    // Public data is read per request, never while `next build` prerenders (there is no database then).
    await connection();
    if (options.fresh) return unwrap(load(...args));
    ensureCacheInvalidation();
    const tags = [PUBLIC_TAG, ...tagsFor(...args)];
    const stored = unstable_cache(
      async (...callArgs: Args): Promise<Envelope> => {
        const cachedAt = Date.now(); // before reading: a change during the read makes the value stale
        return { cachedAt, data: superjson.serialize(await load(...callArgs)) };
      },
      ["inkwell-public", name],
      { tags, revalidate: SAFETY_NET_SECONDS },
    );
    let envelope: Envelope;
    try {
      envelope = await stored(...args);
    } catch (err) {
      if (err instanceof Uncacheable) return err.value as T;
      throw err;
    }
    const value = superjson.deserialize<T>(envelope.data);
    return isFresh(tags, envelope.cachedAt, postIds(value)) ? value : unwrap(load(...args));
  };
}

async function unwrap<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof Uncacheable) return err.value as T;
    throw err;
  }
}

const listIds = (page: PostListPage) => page.items.map((post) => post.id);

async function loadList(input: { username?: string; tag?: string; cursor?: string | null }): Promise<PostListPage> {
  const page = await publicCaller().posts.published({ ...input, limit: LIST_PAGE_SIZE });
  return { items: page.items.map(summarize), nextCursor: page.nextCursor };
}

// One wrapper per read, created once; the arguments are part of each entry's key.

const postPage = cachedRead(
  "post",
  (username: string, slug: string) => publicCaller().posts.bySlug({ username, slug }),
  (username) => [authorTag(username)],
  (post) => [post.id],
);

const latestFirstPage = cachedRead("latest", () => loadList({}), () => [LISTS_TAG], listIds);

const tagFirstPage = cachedRead(
  "tag",
  async (tag: string) => {
    const page = await loadList({ tag });
    if (page.items.length === 0) throw new Uncacheable(page); // no such tag (yet): not worth an entry
    return page;
  },
  () => [LISTS_TAG],
  listIds,
);

async function loadAuthor(username: string, cursor: string | null): Promise<{ author: AuthorProfile; posts: PostListPage }> {
  const caller = publicCaller();
  const [profile, posts] = await Promise.all([caller.users.byUsername({ username }), loadList({ username, cursor })]);
  return { author: { username: profile.username, displayName: profile.displayName, bio: profile.bio, createdAt: profile.createdAt }, posts };
}

const authorFirstPage = cachedRead(
  "author",
  (username: string) => loadAuthor(username, null),
  (username) => [authorTag(username)],
  (value) => listIds(value.posts),
);

const tagIndex = cachedRead(
  "tags",
  () => publicCaller().posts.tags(),
  () => [LISTS_TAG],
  () => [],
);

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

/** What the sitemap lists, read from the published posts (live versions only); uncached. */
export async function loadSitemapData(): Promise<SitemapData> {
  const caller = publicCaller();
  const posts: SitemapData["posts"] = [];
  const tags = new Map<string, Date>();
  const authors = new Map<string, Date>();
  let cursor: string | null = null;
  do {
    const page: { items: PublicPost[]; nextCursor: string | null } = await caller.posts.published({ cursor, limit: 50 });
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

const sitemap = cachedRead(
  "sitemap",
  loadSitemapData,
  () => [LISTS_TAG],
  (data) => data.posts.map((post) => post.id),
);

const feed = cachedRead(
  "feed",
  async (kind: string, name: string | null): Promise<string | null> => {
    const scope: FeedScope = kind === "author" ? { kind: "author", username: name ?? "" } : kind === "tag" ? { kind: "tag", tag: name ?? "" } : { kind: "site" };
    const xml = await buildFeed(scope);
    if (xml === null) throw new Uncacheable(null); // unknown writer
    return xml;
  },
  (kind, name) => [kind === "author" && name ? authorTag(name) : LISTS_TAG],
  () => [],
);

/** An uncached read (older list pages, a writer's own pages), also only at request time. */
async function direct<T>(load: () => Promise<T>): Promise<T> {
  await connection();
  return load();
}

// The readers' API. React's `cache` shares one result between a page and its generateMetadata.

/** A published post by username and slug (or a former slug: the answer's `slug` then differs). */
export const readPostPage = cache(
  (username: string, slug: string, fresh = false): Promise<PublicPostPage> => postPage({ fresh }, username, slug),
);

/** The newest published posts across writers; `cursor` pages further back. */
export const readLatestPosts = cache((cursor: string | null): Promise<PostListPage> =>
  cursor ? direct(() => loadList({ cursor })) : latestFirstPage({}),
);

/** One tag's published posts; an unknown tag has none. */
export const readTagPosts = cache((tag: string, cursor: string | null): Promise<PostListPage> =>
  cursor ? direct(() => loadList({ tag, cursor })) : tagFirstPage({}, tag),
);

/** A writer's profile and published posts; NOT_FOUND for an unknown writer. */
export const readAuthorPage = cache(
  (username: string, cursor: string | null, fresh = false): Promise<{ author: AuthorProfile; posts: PostListPage }> =>
    cursor || fresh ? direct(() => loadAuthor(username, cursor)) : authorFirstPage({}, username),
);

/** Tags in use, most used first. */
export const readTags = cache((): Promise<{ tag: string; count: number }[]> => tagIndex({}));

/** Everything the sitemap lists. */
export const readSitemap = cache((): Promise<SitemapData> => sitemap({}));

/** A feed's RSS XML, or null for an unknown writer. */
export function readFeed(scope: FeedScope): Promise<string | null> {
  if (scope.kind === "author") return feed({}, "author", scope.username.toLowerCase());
  if (scope.kind === "tag") return feed({}, "tag", scope.tag);
  return feed({}, "site", null);
}
