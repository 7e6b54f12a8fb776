import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { env } from "../env.js";
import { postStatusChannel, postStatusEventSchema } from "../jobs/contract";
import { onFeedChannel } from "../jobs/status-feed";
import { producerRedis } from "../jobs/producer";
import { logger } from "../logger";
import { getPublicProfilesByIds } from "../users/service";
import { LISTS_TAG, PUBLIC_TAG, authorTag, classifyChange, type PostChange } from "./tags";

// Keeps the public reading cache (server/cache/public-reads.ts) in step with the worker, in every web
// process. The worker announces each post status change on Redis; each web process hears every
// announcement and, for the ones readers can see:
//
// 1. at once, in memory, records which tags and which post ids changed, so a cached read made before the
//    change is not served again by this process (public-reads checks every entry it returns);
// 2. asks Next to drop the tagged entries with `revalidateTag(tag, { expire: 0 })`, so the next read
//    refills them. Next only allows that inside a Route Handler or Server Function, never in a Redis
//    callback, so the process calls its own route (REVALIDATE_PATH) over loopback, with a per-process
//    secret.
//
// Whatever is missed (Redis down, a process starting) is covered: a (re)connection invalidates
// everything, entries from before this process started are not trusted, and every entry is revalidated
// by time as well (SAFETY_NET_SECONDS).

/** Cached reads are refreshed at least this often, even without events (profile edits, missed events). */
export const SAFETY_NET_SECONDS = 60;
/** Entries older than this are never served (so changes older than this need not be remembered). */
const MAX_TRUSTED_AGE_MS = 60 * 60 * 1000;
/** With read replicas a read just after an event may see the old row: such changes are applied twice. */
const REPLICA_GRACE_MS = 2_000;
/** A stale entry still served this long after its revalidation was asked for is asked for again. */
const STALE_RETRY_MS = 1_000;

/** The route (app/(marketing)/internal/cache/route.ts) that runs `revalidateTag` for this process. */
export const REVALIDATE_PATH = "/internal/cache";
export const REVALIDATE_TOKEN_HEADER = "x-inkwell-cache-token";

/** Profile edits (name, bio) change the writer's pages and the lists; see announceProfileChange. */
export function profileChannel(prefix: string): string {
  return `${prefix}:public-profile`;
}

interface State {
  startedAt: number;
  /** Proves a revalidation request comes from this very process. */
  token: string;
  tagChangedAt: Map<string, number>;
  postChangedAt: Map<string, number>;
  /** author id → username (usernames never change). */
  usernames: Map<string, string>;
  /** When each tag's entries were last asked to be dropped (stale reads ask at most once a second). */
  requestedAt: Map<string, number>;
  pendingTags: Set<string>;
  flushTimer: NodeJS.Timeout | null;
  /** A revalidation request is on its way; tags arriving meanwhile wait for it (see flushRevalidation). */
  sending: boolean;
  listening: boolean;
}

// On globalThis: route handlers and pages are separate bundles that share one process (and hot reloads
// must not open a second subscriber).
const globalForCache = globalThis as unknown as { inkwellPublicCache?: State };

function state(): State {
  if (!globalForCache.inkwellPublicCache) {
    const startedAt = Date.now();
    globalForCache.inkwellPublicCache = {
      startedAt,
      token: randomBytes(32).toString("base64url"),
      // Entries written before this process started (Next keeps its data cache on disk) saw events this
      // process never heard: none of them is trusted.
      tagChangedAt: new Map([[PUBLIC_TAG, startedAt]]),
      postChangedAt: new Map(),
      usernames: new Map(),
      requestedAt: new Map(),
      pendingTags: new Set(),
      flushTimer: null,
      sending: false,
      listening: false,
    };
  }
  return globalForCache.inkwellPublicCache;
}

/**
 * Whether a cached value computed at `cachedAt` from these tags, showing these posts, may still be
 * served. If not, the caller reads fresh data and this asks Next to drop the entry (so a value that was
 * being computed while a change happened does not stay).
 */
export function isFresh(tags: readonly string[], cachedAt: number, postIds: Iterable<string>): boolean {
  const { tagChangedAt, postChangedAt } = state();
  let fresh = Date.now() - cachedAt <= MAX_TRUSTED_AGE_MS;
  for (const tag of tags) if ((tagChangedAt.get(tag) ?? 0) >= cachedAt) fresh = false;
  for (const id of postIds) if ((postChangedAt.get(id) ?? 0) >= cachedAt) fresh = false;
  if (!fresh) {
    // Drops the entry by its own tags (every entry has one besides PUBLIC_TAG, which would drop all).
    // Usually the revalidation asked for when the change arrived is still on its way: ask again only if
    // a stale value outlives it (it was being computed while the change happened, and stored after).
    const now = Date.now();
    const { requestedAt } = state();
    requestRevalidation(tags.filter((tag) => tag !== PUBLIC_TAG && now - (requestedAt.get(tag) ?? 0) > STALE_RETRY_MS));
  }
  return fresh;
}

/** Marks tags changed now and has Next drop their entries. */
export function invalidateTags(tags: readonly string[]): void {
  if (tags.length === 0) return;
  const now = Date.now();
  const { tagChangedAt } = state();
  for (const tag of tags) tagChangedAt.set(tag, now);
  requestRevalidation(tags);
}

function requestRevalidation(tags: readonly string[]): void {
  if (tags.length === 0) return;
  const current = state();
  const now = Date.now();
  for (const tag of tags) {
    current.pendingTags.add(tag);
    current.requestedAt.set(tag, now);
  }
  // Batches what arrives together (one event touches two or three tags) into one request.
  if (!current.sending) current.flushTimer ??= setTimeout(() => void flushRevalidation(current), 10);
}

/**
 * Sends the pending tags, one request at a time: while a request is on its way (the route may be
 * compiling, in development), later tags gather and go in the next one. The request is never cut short
 * by a timeout: aborting it made the server's side of the request fail with `Error: aborted`
 * (ECONNRESET), an uncaught exception in Next's dev server. Readers are unaffected while it waits
 * (isFresh bypasses stale entries).
 */
async function flushRevalidation(current: State): Promise<void> {
  current.flushTimer = null;
  if (current.sending || current.pendingTags.size === 0) return;
  const batch = [...current.pendingTags];
  current.pendingTags.clear();
  current.sending = true;
  try {
    await sendRevalidation(batch, current.token);
  } finally {
    current.sending = false;
    if (current.pendingTags.size > 0) current.flushTimer ??= setTimeout(() => void flushRevalidation(current), 10);
  }
}

/** Where this process listens (the standalone server binds HOSTNAME:PORT; 0.0.0.0 includes loopback). */
function ownOrigin(): string {
  const hostname = process.env.HOSTNAME ?? "";
  const version = isIP(hostname);
  const host = version === 0 || hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : version === 6 ? `[${hostname}]` : hostname;
  return `http://${host}:${env.PORT}`;
}

async function sendRevalidation(tags: string[], token: string): Promise<void> {
  try {
    const response = await fetch(new URL(REVALIDATE_PATH, ownOrigin()), {
      method: "POST",
      headers: { "content-type": "application/json", [REVALIDATE_TOKEN_HEADER]: token },
      body: JSON.stringify({ tags }),
    });
    if (!response.ok) throw new Error(`answered ${response.status}`);
  } catch (err) {
    // Readers still get fresh data (isFresh bypasses stale entries); only the cache refills later.
    logger.warn({ err, tags }, "public cache: could not revalidate; stale entries are bypassed until they expire");
  }
}

/** For the revalidation route: is this request from this process? */
export function isOwnRevalidationRequest(token: string | null): boolean {
  if (!token) return false;
  const expected = Buffer.from(state().token);
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function authorTagFor(authorId: string): Promise<string | null> {
  const { usernames } = state();
  let username = usernames.get(authorId);
  if (!username) {
    const profile = (await getPublicProfilesByIds([authorId])).get(authorId);
    if (!profile) return null;
    username = profile.username;
    usernames.set(authorId, username);
  }
  return authorTag(username);
}

function forgetOldChanges(): void {
  const { postChangedAt } = state();
  if (postChangedAt.size < 1_000) return;
  const cutoff = Date.now() - MAX_TRUSTED_AGE_MS;
  for (const [id, at] of postChangedAt) if (at < cutoff) postChangedAt.delete(id);
}

/** Applies one post status event (see classifyChange for what each kind invalidates). */
export function applyPostChange(event: PostChange, repeat = env.DATABASE_REPLICA_URLS.length > 0): void {
  const kind = classifyChange(event);
  if (kind === "none") return;
  // The post's own entries (its page, lists showing it) at once, before any await.
  state().postChangedAt.set(event.postId, Date.now());
  if (kind === "published") invalidateTags([LISTS_TAG]);
  void authorTagFor(event.authorId)
    .then((tag) => tag && invalidateTags([tag]))
    .catch((err: unknown) => {
      logger.warn({ err, authorId: event.authorId }, "public cache: unknown writer's pages invalidated by time only");
    });
  forgetOldChanges();
  if (repeat) setTimeout(() => applyPostChange(event, false), REPLICA_GRACE_MS).unref();
}

/** A writer's name or bio changed: their pages and the lists (which show names) change. */
export function applyProfileChange(authorId: string): void {
  invalidateTags([LISTS_TAG]);
  void authorTagFor(authorId)
    .then((tag) => tag && invalidateTags([tag]))
    .catch(() => {});
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Starts listening (once per process; every cached read calls it, so it runs before anything is cached),
 * on the status feed's subscriber connection.
 */
export function ensureCacheInvalidation(): void {
  const current = state();
  if (current.listening) return;
  current.listening = true;
  // Connected or reconnected: announcements may have been missed meanwhile, so nothing cached is trusted.
  const distrustAll = () => invalidateTags([PUBLIC_TAG]);
  onFeedChannel(
    postStatusChannel(env.QUEUE_PREFIX),
    (message) => {
      const parsed = postStatusEventSchema.safeParse(safeJson(message));
      if (parsed.success) applyPostChange(parsed.data);
    },
    distrustAll,
  );
  onFeedChannel(
    profileChannel(env.QUEUE_PREFIX),
    (message) => {
      const authorId = (safeJson(message) as { authorId?: unknown } | null)?.authorId;
      if (typeof authorId === "string") applyProfileChange(authorId);
    },
    () => {},
  );
  distrustAll();
}

/**
 * For the users router (server change requested in the report): after a profile update, tell every web
 * process. Best effort, like the status announcements: the safety-net revalidation covers a failure.
 */
export async function announceProfileChange(authorId: string): Promise<void> {
  try {
    const redis = await producerRedis();
    await redis.publish(profileChannel(env.QUEUE_PREFIX), JSON.stringify({ authorId }));
  } catch (err) {
    logger.debug({ err, authorId }, "profile change announcement skipped");
  }
}
