import { getSessionState } from "../users/service";

// The one rule for whether a session token still stands, used by Auth.js's jwt callback (sign-in and
// its own session reads) and by getSession (every tRPC request): the session's row exists (not signed
// out, not expired), the account exists and its sessionVersion is the one the token was issued under. A
// password change, a reset or "sign out everywhere" bumps the version and so ends every older token at
// once; "Sign out" deletes the one row.

export interface SessionTokenClaims {
  sub?: unknown;
  sessionVersion?: unknown;
  sid?: unknown;
}

export type SessionState = NonNullable<Awaited<ReturnType<typeof getSessionState>>>;

/** The account behind a token, or null when the token no longer stands. */
export async function standingSessionState(claims: SessionTokenClaims): Promise<SessionState | null> {
  if (typeof claims.sub !== "string" || typeof claims.sid !== "string") return null;
  const state = await getSessionState(claims.sub, claims.sid);
  if (!state || state.sessionVersion !== claims.sessionVersion) return null;
  return state;
}
