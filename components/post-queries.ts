// Query inputs shared by server prefetches and client components (so their query keys match). Not a
// client module: server components import these values too.

/** The dashboard's page size for `posts.list`. */
export const postListInput = { limit: 20 } as const;

/** While any shown post is queued or processing, refetch this often, in case a live event is missed. */
export const IN_FLIGHT_REFETCH_MS = 3_000;
