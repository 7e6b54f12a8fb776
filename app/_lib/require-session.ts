import "server-only";
import { redirect } from "next/navigation";
import type { Session } from "@/server/api/trpc";
import { getSession } from "@/server/auth/session";

/**
 * The signed-in writer, or a redirect to the sign-in page that comes back to `returnTo`. Every guarded
 * page calls it itself (layouts do not re-run on client navigation), so a page never renders for nobody.
 */
export async function requireSession(returnTo: string): Promise<Session> {
  const session = await getSession();
  if (!session) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return session;
}
