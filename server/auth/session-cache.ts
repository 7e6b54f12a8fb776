import type { Session } from "../api/trpc";
import type { SessionTokenClaims } from "./session-check";

// Whether a session still stands costs a database lookup (session-check.ts) on every request that
// carries one. The answer is kept for a few seconds per session cookie, so a burst of requests from one
// page (autosave, batched queries) pays it once. Changes made through this instance drop the writer's
// entries at once (forgetSessionsOf); other instances see a revoked session (password change, "sign
// out everywhere") or a new display name at most SESSION_CACHE_MS later.

export const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_MAX = 10_000;

type Cached = { session: Session | null; expires: number };
const globalForSessions = globalThis as unknown as { inkwellSessionCache?: Map<string, Cached> };
const cache = (globalForSessions.inkwellSessionCache ??= new Map());

export function cachedSession(key: string, now = Date.now()): Cached | undefined {
  const hit = cache.get(key);
  return hit && hit.expires > now ? hit : undefined;
}

export function rememberSession(key: string, session: Session | null, now = Date.now()): void {
  if (cache.size >= SESSION_CACHE_MAX) {
    for (const [k, v] of cache) if (v.expires <= now) cache.delete(k);
    if (cache.size >= SESSION_CACHE_MAX) cache.clear(); // all fresh: a flood of new sessions; start over
  }
  cache.set(key, { session, expires: now + SESSION_CACHE_MS });
}

/** Drops every cached session of a writer (after a profile, email or password change, or sign-out everywhere). */
export function forgetSessionsOf(userId: string): void {
  for (const [key, value] of cache) if (value.session?.user.id === userId) cache.delete(key);
}

// What a session cookie decrypts to never changes, so it is kept until the token expires; whether the
// token still stands is the short-lived check above. Keyed like the sessions (a hash of the cookie).
type Claims = { claims: SessionTokenClaims; expires: number };
const globalForClaims = globalThis as unknown as { inkwellSessionClaims?: Map<string, Claims> };
const claimsCache = (globalForClaims.inkwellSessionClaims ??= new Map());

export function cachedClaims(key: string, now = Date.now()): SessionTokenClaims | undefined {
  const hit = claimsCache.get(key);
  if (!hit) return undefined;
  if (hit.expires > now) return hit.claims;
  claimsCache.delete(key);
  return undefined;
}

export function rememberClaims(key: string, claims: SessionTokenClaims, expires: number, now = Date.now()): void {
  if (expires <= now) return;
  if (claimsCache.size >= SESSION_CACHE_MAX) {
    for (const [k, v] of claimsCache) if (v.expires <= now) claimsCache.delete(k);
    if (claimsCache.size >= SESSION_CACHE_MAX) claimsCache.clear();
  }
  claimsCache.set(key, { claims, expires });
}
