import type { Session } from "../api/trpc";
import type { SessionTokenClaims } from "./session-check";

// Whether a session still stands costs a database lookup (session-check.ts) on every request that
// carries one. The answer is kept for a few seconds per session cookie, so a burst of requests from one
// page (autosave, batched queries) pays it once. Changes made through this instance drop the writer's
// entries at once (forgetSessionsOf); other instances see a revoked session (password change, "sign
// out everywhere") or a new display name at most SESSION_CACHE_MS later.

export const SESSION_CACHE_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

type Entry<V> = { value: V; expires: number };

/**
 * Entries that expire, at most CACHE_MAX_ENTRIES: when full, the expired ones go, and if all are fresh
 * (a flood of new cookies) it starts over. Kept on globalThis so dev-server reloads reuse it.
 */
function expiringStore<V>(globalKey: "inkwellSessionCache" | "inkwellSessionClaims") {
  const holder = globalThis as unknown as Record<typeof globalKey, Map<string, Entry<V>> | undefined>;
  const entries = (holder[globalKey] ??= new Map<string, Entry<V>>());
  return {
    entries,
    get(key: string, now: number): V | undefined {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (hit.expires > now) return hit.value;
      entries.delete(key);
      return undefined;
    },
    set(key: string, value: V, expires: number, now: number): void {
      if (expires <= now) return;
      if (entries.size >= CACHE_MAX_ENTRIES) {
        for (const [k, v] of entries) if (v.expires <= now) entries.delete(k);
        if (entries.size >= CACHE_MAX_ENTRIES) entries.clear();
      }
      entries.set(key, { value, expires });
    },
  };
}

const sessions = expiringStore<Session | null>("inkwellSessionCache");

/** The session read for this cookie in the last SESSION_CACHE_MS (null: it signs nobody in), if any. */
export function cachedSession(key: string, now = Date.now()): { session: Session | null } | undefined {
  const session = sessions.get(key, now);
  return session === undefined ? undefined : { session };
}

export function rememberSession(key: string, session: Session | null, now = Date.now()): void {
  sessions.set(key, session, now + SESSION_CACHE_MS, now);
}

/** Drops every cached session of a writer (after a profile, email or password change, or sign-out everywhere). */
export function forgetSessionsOf(userId: string): void {
  for (const [key, entry] of sessions.entries) if (entry.value?.user.id === userId) sessions.entries.delete(key);
}

// What a session cookie decrypts to never changes, so it is kept until the token expires; whether the
// token still stands is the short-lived check above. Keyed like the sessions (a hash of the cookie).
const claims = expiringStore<SessionTokenClaims>("inkwellSessionClaims");

export function cachedClaims(key: string, now = Date.now()): SessionTokenClaims | undefined {
  return claims.get(key, now);
}

export function rememberClaims(key: string, tokenClaims: SessionTokenClaims, expires: number, now = Date.now()): void {
  claims.set(key, tokenClaims, expires, now);
}
