// Query inputs shared by server prefetches and client components (so their query keys match). Not a
// client module: server components import these values too.
import { postListFilters } from "@/lib/validations/post";

/** The dashboard's page size for `posts.list`. */
export const POST_LIST_LIMIT = 20;

/** While any shown post is queued or processing, refetch this often, in case a live event is missed. */
export const IN_FLIGHT_REFETCH_MS = 3_000;

export type PostListFilter = (typeof postListFilters)[number];

export interface PostListInput {
  limit: number;
  filter?: PostListFilter;
  query?: string;
}

/** The dashboard's `posts.list` input for a filter and a title search (absent keys, not undefined ones). */
export function postListInput({ filter, query }: { filter?: PostListFilter | null; query?: string | null } = {}): PostListInput {
  const input: PostListInput = { limit: POST_LIST_LIMIT };
  if (filter) input.filter = filter;
  const q = query?.trim().slice(0, 200);
  if (q) input.query = q;
  return input;
}

/** Reads the dashboard's address (`?filter=draft&q=notes`), ignoring what it does not know. */
export function parsePostListParams(params: { filter?: string | string[]; q?: string | string[] }): { filter: PostListFilter | null; query: string } {
  const filter = typeof params.filter === "string" && (postListFilters as readonly string[]).includes(params.filter) ? (params.filter as PostListFilter) : null;
  const query = typeof params.q === "string" ? params.q.slice(0, 200) : "";
  return { filter, query };
}
