// Cache tags of the public reading pages, and which post status events change what readers see.
// Plain functions with no Next imports, so unit tests (and the worker, should it ever need them) can load
// this file.

/** Every cached public read carries it: invalidating it empties the whole reading cache. */
export const PUBLIC_TAG = "public";

/** Lists across writers: home, tag pages, the tag index, the sitemap, the site and tag feeds. */
export const LISTS_TAG = "public:lists";

/** One writer's pages: the author page and feed, and each of their posts (whose previous/next links and
 * author card depend on the writer's other posts and profile). Usernames never change. */
export function authorTag(username: string): string {
  return `public:author:${username.toLowerCase()}`;
}

/** The fields of a post status event (server/jobs/contract.ts) that decide what to invalidate. */
export interface PostChange {
  postId: string;
  authorId: string;
  status: "queued" | "processing" | "ready" | "failed";
  visibility: "draft" | "scheduled" | "published";
  /** Readers could see the post until this change (it was unpublished or deleted). */
  unpublished?: boolean;
}

/**
 * What an event means for readers:
 * - `none`: nothing public changed (a version starting to render changes no stored field).
 * - `published`: a published post changed (a version finished and went public, or a save changed its
 *   live fields: slug, tags, cover, canonical URL): the lists and the writer's pages change.
 * - `hidden`: a post readers could see until now (unpublished or deleted): the pages that showed it must
 *   drop it. Readers check cached pages for the post's id (see server/cache/invalidation.ts) and the
 *   writer's pages are refreshed.
 * Any other change to a post that is not published (a draft saved or rendered, a schedule set) changes
 * nothing readers see: `none` (so draft autosaves cost the reading cache nothing).
 */
export function classifyChange(event: PostChange): "none" | "published" | "hidden" {
  if (event.status === "processing") return "none";
  if (event.visibility === "published") return "published";
  return event.unpublished ? "hidden" : "none";
}
