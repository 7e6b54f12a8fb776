import "server-only";
import { createHash } from "node:crypto";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import type { Session } from "../api/trpc";
import { env } from "../env.js";
import { cachedClaims, cachedSession, rememberClaims, rememberSession } from "./session-cache";
import { standingSessionState, type SessionTokenClaims } from "./session-check";

// Reads the signed-in writer from Auth.js's session cookie without a round through `auth()`: the
// cookie is decrypted once per token value (it never changes while the cookie does not), and only the
// account check (session-check.ts, the same rule as the jwt callback) is repeated, at most every few
// seconds (session-cache.ts). `auth()` decrypted and re-encrypted the token on every read, which a
// route handler cannot even send back; under load that cost landed on whichever request came first
// after the cache ran out.

export interface CookieLike {
  name: string;
  value: string;
}

// Over https Auth.js names it "__Secure-authjs.session-token"; a large token is split into ".0", ".1"….
const SESSION_COOKIE = /^((?:__Secure-)?authjs\.session-token)(?:\.(\d+))?$/;

/** The session cookie's name (the salt it is encrypted with) and value, its chunks joined in order. */
export function sessionCookie(all: readonly CookieLike[]): CookieLike | null {
  const byName = new Map<string, { index: number; value: string }[]>();
  for (const cookie of all) {
    const match = SESSION_COOKIE.exec(cookie.name);
    if (!match?.[1]) continue;
    const parts = byName.get(match[1]) ?? [];
    parts.push({ index: match[2] === undefined ? -1 : Number(match[2]), value: cookie.value });
    byName.set(match[1], parts);
  }
  // The __Secure- cookie can only have been set over https: it wins if a plain one is also there.
  const name = [...byName.keys()].sort((a, b) => Number(b.startsWith("__Secure-")) - Number(a.startsWith("__Secure-")))[0];
  if (!name) return null;
  const value = byName
    .get(name)!
    .sort((a, b) => a.index - b.index)
    .map((part) => part.value)
    .join("");
  return value ? { name, value } : null;
}

async function decodeClaims(cookie: CookieLike): Promise<{ claims: SessionTokenClaims; expiresAt: number } | null> {
  try {
    // Verifies the encryption and the expiry, as Auth.js does when it reads the cookie.
    const payload = await decode({ token: cookie.value, secret: env.AUTH_SECRET, salt: cookie.name });
    if (!payload || typeof payload.exp !== "number") return null;
    return { claims: { sub: payload.sub, sessionVersion: payload.sessionVersion, sid: payload.sid }, expiresAt: payload.exp * 1000 };
  } catch {
    return null; // tampered, foreign or from an old secret: no session (fails closed)
  }
}

/** The writer a request's cookies sign in, or null. */
export async function sessionFromCookies(all: readonly CookieLike[]): Promise<Session | null> {
  const cookie = sessionCookie(all);
  if (!cookie) return null;
  const key = createHash("sha256").update(`${cookie.name}=${cookie.value}`).digest("base64url");
  const hit = cachedSession(key);
  if (hit) return hit.session;

  let claims = cachedClaims(key);
  if (!claims) {
    const decoded = await decodeClaims(cookie);
    if (decoded) rememberClaims(key, decoded.claims, decoded.expiresAt);
    claims = decoded?.claims;
  }
  const state = claims ? await standingSessionState(claims) : null;
  const session: Session | null =
    state && typeof claims?.sub === "string" ? { user: { id: claims.sub, email: state.email, username: state.username, name: state.displayName } } : null;
  rememberSession(key, session);
  return session;
}

/** The signed-in writer for tRPC and server components, or null. Fails closed on a malformed token. */
export async function getSession(): Promise<Session | null> {
  return sessionFromCookies((await cookies()).getAll());
}

/** The request's session, and a way to read it again later from the same cookie (for open streams). */
export async function getRevalidatableSession(): Promise<{ session: Session | null; revalidateSession: () => Promise<Session | null> }> {
  const all = (await cookies()).getAll();
  return { session: await sessionFromCookies(all), revalidateSession: () => sessionFromCookies(all) };
}
