import { getSession } from "@/server/auth/session";
import { getOwnProfile } from "@/server/users/service";

// Who is signed in, for the header of cached public pages (components/header-navigation.tsx): the one
// per-viewer part of a page, asked for after load so the page itself is the same for every reader.
// Never cached anywhere. The name is read from the account, not the session, so a renamed writer sees
// the new name at once.
export const dynamic = "force-dynamic";

export interface ViewerAnswer {
  user: { name: string; username: string } | null;
}

export async function GET(): Promise<Response> {
  const session = await getSession();
  const profile = session ? await getOwnProfile(session.user.id) : null;
  const answer: ViewerAnswer = { user: profile ? { name: profile.displayName, username: profile.username } : null };
  return Response.json(answer, { headers: { "cache-control": "private, no-store" } });
}
