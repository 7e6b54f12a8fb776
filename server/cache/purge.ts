// Purges public pages everywhere they are cached when a writer changes something: every web process's
// own cache (a Redis message each one hears) and the shared caches in front (a pluggable Purger). Called
// where status events are published (server/posts/status-events.ts: the worker's processing and
// scheduled publishing, and the web's saves, unpublishes and deletes) and after a profile edit, so the
// change itself drives the purge: no web process has to hear it first.
import { LRUCache } from "lru-cache";
import { env } from "../env.js";
import { sharedRedis } from "../jobs/redis";
import { logger } from "../logger";
import { getPublicProfilesByIds } from "../users/service";
import { addressIndexKey, purgeChannel } from "./purge-protocol";
import { keysForPostChange, keysForProfileChange, type PostChange } from "./tags";

/** What a shared cache is told: the surrogate keys, and every address stored under them. */
export interface PurgeRequest {
  keys: string[];
  addresses: string[];
}

/**
 * A shared cache in front of the web. Purges must be idempotent (they are repeated, see purgeKeys).
 * Out of the box: the gateway (HTTP PURGE per address). README "Reading at scale" maps the others:
 * Fastly purges by Surrogate-Key, Cloudflare by Cache-Tag, CloudFront by path (the addresses).
 */
export interface Purger {
  name: string;
  purge(request: PurgeRequest): Promise<void>;
}

/** nginx with ngx_cache_purge (gateway/nginx.conf): `PURGE <address>` drops that entry (404/412 if absent). */
export function gatewayPurger(baseUrls: readonly string[]): Purger {
  return {
    name: "gateway",
    async purge({ addresses }) {
      const sends = baseUrls.flatMap((base) =>
        addresses.map(async (address) => {
          const response = await fetch(`${base}${address}`, { method: "PURGE", signal: AbortSignal.timeout(2_000) });
          // 200: purged; 404/412: nothing stored there (already purged, or never cached): both fine.
          if (!response.ok && response.status !== 404 && response.status !== 412) {
            throw new Error(`${base} answered ${response.status} to PURGE ${address}`);
          }
        }),
      );
      const failed = (await Promise.allSettled(sends)).filter((result) => result.status === "rejected");
      if (failed.length > 0) throw (failed[0] as PromiseRejectedResult).reason;
    },
  };
}

const globalForPurge = globalThis as unknown as { inkwellPurgers?: Purger[] };

/** The configured shared caches (CDN_PURGE_URLS); replaceable for other CDNs and tests. */
export function purgers(): Purger[] {
  globalForPurge.inkwellPurgers ??= env.CDN_PURGE_URLS.length > 0 ? [gatewayPurger(env.CDN_PURGE_URLS)] : [];
  return globalForPurge.inkwellPurgers;
}

export function setPurgers(list: Purger[]): void {
  globalForPurge.inkwellPurgers = list;
}

/**
 * A reader's request may reach a web process in the moment before it hears the purge, and refill the
 * gateway from its old copy: the gateway is purged again shortly after, and again later (after
 * replication lag, when reads go to replicas, and after a slow render that began before the purge).
 * Purges are idempotent, so repeating costs one request per address.
 */
const REPEAT_AFTER_MS = 500;
const LATE_REPEAT_AFTER_MS = 2_000;

async function addressesOf(keys: readonly string[]): Promise<string[]> {
  const redis = await sharedRedis();
  return redis.sunion(...keys.map((key) => addressIndexKey(env.QUEUE_PREFIX, key)));
}

async function purgeOnce(keys: string[]): Promise<void> {
  const redis = await sharedRedis();
  const list = purgers();
  // One round trip: Redis runs the two in the order sent, so every web process has been told to drop its
  // copies before any shared cache is purged (and may refill from one of them).
  const [, addresses] = await Promise.all([
    redis.publish(purgeChannel(env.QUEUE_PREFIX), JSON.stringify({ keys })),
    list.length > 0 ? addressesOf(keys) : Promise.resolve([]),
  ]);
  await Promise.all(list.map((purger) => purger.purge({ keys, addresses })));
}

/** Purges these surrogate keys at once and again shortly after; failures are logged, never thrown. */
export async function purgeKeys(keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const attempt = () =>
    purgeOnce(keys).catch((err: unknown) => logger.warn({ err, keys }, "cache purge failed; the pages expire by time (s-maxage)"));
  await attempt();
  setTimeout(() => void attempt(), REPEAT_AFTER_MS).unref();
  // Always a third time: a render that began before the purge (at the origin, or the gateway's fetch of
  // it) may finish after it and store the old page; under load that takes longer than 500 ms.
  setTimeout(() => void attempt(), LATE_REPEAT_AFTER_MS).unref();
}

/** Usernames of public writers by account id: a username never changes, so a purge need not ask twice. */
const knownUsernames = new LRUCache<string, string>({ max: 10_000 });

async function publicUsername(authorId: string): Promise<string | null> {
  const known = knownUsernames.get(authorId);
  if (known) return known;
  const username = (await getPublicProfilesByIds([authorId])).get(authorId)?.username ?? null;
  if (username) knownUsernames.set(authorId, username);
  return username;
}

/** After a post status event: purges what it changed for readers (nothing for a draft's autosave). */
export async function purgeForPostChange(event: PostChange): Promise<void> {
  if (keysForPostChange(event, null).length === 0) return;
  const username = await publicUsername(event.authorId).catch(() => null);
  await purgeKeys(keysForPostChange(event, username));
}

/** After an account deletion, when the username can no longer be looked up: the writer's pages and the lists. */
export async function purgeForDeletedWriter(username: string): Promise<void> {
  await purgeKeys(keysForProfileChange(username));
}

/** After a profile edit (name, bio): the writer's pages and the lists. */
export async function purgeForProfileChange(authorId: string): Promise<void> {
  const username = await publicUsername(authorId).catch(() => null);
  if (username) await purgeKeys(keysForProfileChange(username));
}
