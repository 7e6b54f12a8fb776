import "server-only";
import { auth } from "./index";
import type { Session } from "../api/trpc";

/** The signed-in writer for tRPC and server components, or null. Fails closed on a malformed token. */
export async function getSession(): Promise<Session | null> {
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.username || !user.email) return null;
  return { user: { id: user.id, email: user.email, username: user.username, name: user.name ?? user.username } };
}
