// Which requests are public reading pages that any cache may keep, for how long, under which surrogate
// keys, and which query parameters make a different page. The one table every layer reads: the origin's
// own HTML cache (server/cache/origin-cache.ts), the gateway's nginx configuration (gateway/nginx.conf
// keeps the same query parameters in its cache keys) and the purger (server/cache/purge.ts).
// Plain functions with no Next or Node imports: the standalone server's preload bundles this file.

/** How long shared caches keep a page (seconds), and how long they may serve it stale. */
export interface CachePolicy {
  /** A short name for logs and tests: "post", "author", "lists", … */
  name: string;
  sMaxAge: number;
  staleWhileRevalidate: number;
  /** Query parameters that select a different page (pagination, filters); every other one is ignored. */
  keptParams: readonly string[];
  /** Surrogate keys known from the address alone; the response may add more (see responseKeys). */
  keys: readonly string[];
}

/** Lists across writers (home, tags, feeds, sitemap): every publish, unpublish and profile change purges them. */
export const LISTS_KEY = "lists";

/** Pages that change with no post (robots.txt, the API description): purged only by a deploy or time. */
export const SITE_KEY = "site";

/** One post's pages, whatever its address (a slug change keeps the id). */
export function postKey(postId: string): string {
  return `post:${postId}`;
}

/** Every page of one writer: profile, feed and their posts (author card, previous/next). Usernames never change. */
export function authorKey(username: string): string {
  return `author:${username.toLowerCase()}`;
}

/** The pages that list one writer's posts (profile page, feed, the API's author): a subset of authorKey's. */
export function authorListKey(username: string): string {
  return `author-list:${username.toLowerCase()}`;
}

/** Both keys of a page that lists a writer's posts. */
const authorListKeys = (username: string) => [authorKey(username), authorListKey(username)];

/** Served stale this long while the origin is down (stale-if-error), whatever the page. */
export const STALE_IF_ERROR_SECONDS = 86_400;

// Purges keep pages fresh, so shared caches may keep them long; time only bounds what a lost purge costs.
const POST = { sMaxAge: 3_600, staleWhileRevalidate: 86_400 };
const LIST = { sMaxAge: 300, staleWhileRevalidate: 3_600 };
const FEED = { sMaxAge: 600, staleWhileRevalidate: 3_600 };
const STATIC = { sMaxAge: 86_400, staleWhileRevalidate: 604_800 };
// API clients poll: a minute, as before this table existed.
const API = { sMaxAge: 60, staleWhileRevalidate: 600 };

const PAGE_PARAMS = ["cursor"] as const;
const API_LIST_PARAMS = ["cursor", "limit", "tag", "author"] as const;

/** One path segment: anything but "/" (names are validated by the pages themselves). */
const SEGMENT = "([^/]+)";

interface Route {
  pattern: RegExp;
  policy: (match: RegExpExecArray) => CachePolicy;
}

function decoded(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? "");
  } catch {
    return segment ?? "";
  }
}

/** "@alice" or "%40alice" → "alice" (the pages answer 404 for anything else; that answer is not cached). */
function handleName(segment: string | undefined): string {
  return decoded(segment).replace(/^@/, "");
}

const ROUTES: Route[] = [
  { pattern: /^\/$/, policy: () => ({ name: "home", ...LIST, keptParams: PAGE_PARAMS, keys: [LISTS_KEY] }) },
  { pattern: /^\/tags$/, policy: () => ({ name: "tags", ...LIST, keptParams: [], keys: [LISTS_KEY] }) },
  { pattern: new RegExp(`^/tags/${SEGMENT}$`), policy: () => ({ name: "tag", ...LIST, keptParams: PAGE_PARAMS, keys: [LISTS_KEY] }) },
  { pattern: new RegExp(`^/tags/${SEGMENT}/feed\\.xml$`), policy: () => ({ name: "tag-feed", ...FEED, keptParams: [], keys: [LISTS_KEY] }) },
  { pattern: /^\/feed\.xml$/, policy: () => ({ name: "feed", ...FEED, keptParams: [], keys: [LISTS_KEY] }) },
  { pattern: /^\/sitemap\.xml$/, policy: () => ({ name: "sitemap", ...FEED, keptParams: [], keys: [LISTS_KEY] }) },
  { pattern: /^\/robots\.txt$/, policy: () => ({ name: "robots", ...STATIC, keptParams: [], keys: [SITE_KEY] }) },
  {
    pattern: new RegExp(`^/(@|%40)${SEGMENT}$`, "i"),
    policy: (m) => ({ name: "author", ...LIST, keptParams: PAGE_PARAMS, keys: authorListKeys(handleName(m[2])) }),
  },
  {
    pattern: new RegExp(`^/(@|%40)${SEGMENT}/feed\\.xml$`, "i"),
    policy: (m) => ({ name: "author-feed", ...FEED, keptParams: [], keys: authorListKeys(handleName(m[2])) }),
  },
  {
    // The keys of the posts it shows come with the page (responseKeys): its own (the address may be a
    // former slug) and its previous and next posts', whose titles it links to.
    pattern: new RegExp(`^/(@|%40)${SEGMENT}/${SEGMENT}$`, "i"),
    policy: (m) => ({ name: "post", ...POST, keptParams: [], keys: [authorKey(handleName(m[2]))] }),
  },
  { pattern: /^\/api\/v1\/posts$/, policy: () => ({ name: "api-posts", ...API, keptParams: API_LIST_PARAMS, keys: [LISTS_KEY] }) },
  {
    pattern: new RegExp(`^/api/v1/posts/${SEGMENT}/${SEGMENT}$`),
    policy: (m) => ({ name: "api-post", ...API, keptParams: [], keys: [authorKey(handleName(m[1]))] }),
  },
  {
    pattern: new RegExp(`^/api/v1/authors/${SEGMENT}$`),
    policy: (m) => ({ name: "api-author", ...API, keptParams: [], keys: [authorKey(handleName(m[1]))] }),
  },
  { pattern: /^\/api\/v1\/openapi\.json$/, policy: () => ({ name: "api-openapi", ...STATIC, keptParams: [], keys: [SITE_KEY] }) },
];

/**
 * The cache policy of a path (no query), or null: search, sign-in, the dashboard, the editor, tRPC and
 * everything else per viewer is never kept by a shared cache.
 */
export function publicCachePolicy(pathname: string): CachePolicy | null {
  for (const route of ROUTES) {
    const match = route.pattern.exec(pathname);
    if (match) return route.policy(match);
  }
  return null;
}

/**
 * The address a cache keeps a page under: the path and only the kept parameters, in the policy's order
 * (the first value of each, as nginx's `$arg_name` reads it), so `?utm_source=…` cannot make a new entry.
 * Values stay as the client encoded them: the gateway's PURGE for this address must name the same entry.
 */
export function cacheAddress(pathname: string, search: string, policy: CachePolicy): string {
  if (policy.keptParams.length === 0 || search.length <= 1) return pathname;
  const raw = new Map<string, string>();
  for (const pair of search.replace(/^\?/, "").split("&")) {
    const at = pair.indexOf("=");
    const name = at === -1 ? pair : pair.slice(0, at);
    if (!raw.has(name)) raw.set(name, at === -1 ? "" : pair.slice(at + 1));
  }
  const kept = policy.keptParams.filter((name) => raw.get(name)).map((name) => `${name}=${raw.get(name) ?? ""}`);
  return kept.length > 0 ? `${pathname}?${kept.join("&")}` : pathname;
}

/** The Cache-Control of a cacheable answer: browsers revalidate each time (a cheap 304), shared caches keep it. */
export function cacheControl(policy: CachePolicy): string {
  return `public, max-age=0, s-maxage=${policy.sMaxAge}, stale-while-revalidate=${policy.staleWhileRevalidate}, stale-if-error=${STALE_IF_ERROR_SECONDS}`;
}

/** What an uncacheable answer on a cacheable address gets (an error, a redirect, a 404 of a made-up name). */
export const UNCACHED = "private, no-store";

/** The surrogate-key header route handlers set for keys only they know (e.g. the REST post's id). */
export const SURROGATE_KEY_HEADER = "surrogate-key";

/**
 * The marker a page carries for keys only it knows (the post page's id), since App Router pages cannot
 * set response headers: `<meta name="inkwell-cache-keys" content="post:…">`. Read once when the page is
 * stored; sanitized post HTML cannot contain a <meta>.
 */
export const CACHE_KEYS_META = "inkwell-cache-keys";
const CACHE_KEYS_META_PATTERN = new RegExp(`<meta name="${CACHE_KEYS_META}" content="([^"]*)"`);

const KEY_SHAPE = /^[a-z]+(:[^\s,]{1,200})?$/;

/** Every surrogate key of a response: the address's, the route handler's header's and the page's marker's. */
export function responseKeys(policy: CachePolicy, headerValue: string | undefined, html: string | null): string[] {
  const keys = new Set(policy.keys);
  const extra = [headerValue ?? "", (html && CACHE_KEYS_META_PATTERN.exec(html)?.[1]) ?? ""].join(" ");
  for (const key of extra.split(/[\s,]+/)) if (KEY_SHAPE.test(key)) keys.add(key);
  return [...keys];
}
