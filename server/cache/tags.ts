// Which post status events change what readers see, and the surrogate keys (server/cache/public-routes.ts)
// they purge. Plain functions with no Next imports: the worker and unit tests load this file.
import { LISTS_KEY, authorKey, postKey } from "./public-routes";

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
 *   drop it: the post's own pages, the writer's and the lists are purged.
 * Any other change to a post that is not published (a draft saved or rendered, a schedule set) changes
 * nothing readers see: `none` (so draft autosaves cost the reading cache nothing).
 */
export function classifyChange(event: PostChange): "none" | "published" | "hidden" {
  if (event.status === "processing") return "none";
  if (event.visibility === "published") return "published";
  return event.unpublished ? "hidden" : "none";
}

/**
 * The surrogate keys a change purges: the post's pages (under any address), its writer's pages (their
 * author card and previous/next links show it) and the lists. `username` is null when the writer is not
 * public (an unconfirmed account has no pages).
 */
export function keysForPostChange(event: PostChange, username: string | null): string[] {
  if (classifyChange(event) === "none") return [];
  return [postKey(event.postId), ...(username ? [authorKey(username)] : []), LISTS_KEY];
}

/** A writer's name or bio changed: their pages and the lists (which show names). */
export function keysForProfileChange(username: string): string[] {
  return [authorKey(username), LISTS_KEY];
}
