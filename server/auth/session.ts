import "server-only";
import { createHash } from "node:crypto";
import { cookies } from "next/headers";
import type { Session } from "../api/trpc";
import { auth } from "./index";
import { cachedSession, rememberSession } from "./session-cache";

async function readSession(): Promise<Session | null> {
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.username || !user.email) return null;
  return { user: { id: user.id, email: user.email, username: user.username, name: user.name ?? user.username } };
}

/**
 * The signed-in writer for tRPC and server components, or null. Fails closed on a malformed token.
 * Briefly cached per session cookie (see session-cache.ts).
 */
export async function getSession(): Promise<Session | null> {
  // Auth.js splits large tokens into numbered cookies; all of them together are the session.
  const token = (await cookies())
    .getAll()
    .filter((cookie) => cookie.name.includes("authjs.session-token"))
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join(";");
  if (!token) return null;
  const key = createHash("sha256").update(token).digest("base64url");
  const hit = cachedSession(key);
  if (hit) return hit.session;
  const session = await readSession();
  rememberSession(key, session);
  return session;
}
