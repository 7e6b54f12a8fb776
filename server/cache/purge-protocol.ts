// What the purger (server/cache/purge.ts, in the web and the worker) and every web process's origin
// cache (server/cache/origin-cache.ts, in the standalone server's preload) share through Redis. Plain
// functions: the preload bundles this file without the app.

/** Purged keys, published to every web process: `{"keys": ["post:…", "lists"]}`. */
export function purgeChannel(prefix: string): string {
  return `${prefix}:cache-purge`;
}

/**
 * The addresses stored under a surrogate key (a Redis set each web process adds to when it stores a
 * page), so that a gateway which can only purge by address (nginx) is told every address a key covers.
 */
export function addressIndexKey(prefix: string, key: string): string {
  return `${prefix}:cache-addresses:${key}`;
}

/** Longer than any shared cache keeps a page (s-maxage + stale-while-revalidate + stale-if-error). */
export const ADDRESS_INDEX_TTL_SECONDS = 7 * 86_400;

export function parsePurgeMessage(message: string): string[] {
  try {
    const keys = (JSON.parse(message) as { keys?: unknown }).keys;
    return Array.isArray(keys) ? keys.filter((key): key is string => typeof key === "string") : [];
  } catch {
    return [];
  }
}
