// Which post changes alter what readers see, and the surrogate keys (server/cache/public-routes.ts) they
// purge. Plain functions with no Next imports: the worker and unit tests load this file.
import { LISTS_KEY, authorKey, authorListKey, postKey } from "./public-routes";

/**
 * What a change did to the public site, as whoever made it knows (server/posts/status-events.ts):
 * - `updated`: a new version of a post that was live already went live, in its place among the
 *   writer's posts;
 * - `added`: a post readers could not see until now went live (published, or published again, or
 *   imported as published): it joins the writer's posts and the lists;
 * - `removed`: readers could see the post until now (it was unpublished or deleted).
 * Anything else (a draft saved or rendered, a live post's private working copy saved or rendered, a
 * schedule set) changes nothing readers see, so it purges nothing.
 */
export type ReaderChange = "added" | "updated" | "removed";

/** The fields of a post status event (server/jobs/contract.ts) that decide what to purge. */
export interface PostChange {
  postId: string;
  authorId: string;
  readers?: ReaderChange;
}

/**
 * The surrogate keys a change purges. `username` is null when the writer is not public (an unconfirmed
 * account has no pages).
 * - Always the post's pages (under any address, the old ones included), which are also the pages of
 *   its previous and next posts (they show its title and link: see app/[handle]/[slug]/page.tsx), and
 *   the lists across writers.
 * - An update in place: the writer's lists of posts (profile page, feed), not their other posts' pages.
 * - A post added or removed moves its neighbours' previous/next links: every page of the writer.
 */
export function keysForPostChange(event: PostChange, username: string | null): string[] {
  if (!event.readers) return [];
  const writer = username ? [event.readers === "updated" ? authorListKey(username) : authorKey(username)] : [];
  return [postKey(event.postId), ...writer, LISTS_KEY];
}

/** A writer's name or bio changed: their pages and the lists (which show names). */
export function keysForProfileChange(username: string): string[] {
  return [authorKey(username), LISTS_KEY];
}
