import { isAdmin, queueBoard } from "@/server/admin/queue-board";
import { getSession } from "@/server/auth/session";

export const dynamic = "force-dynamic";

/** Bull Board for operators; everyone else (writers included) gets a plain 404, not a hint. */
async function handler(req: Request): Promise<Response> {
  const session = await getSession();
  if (!isAdmin(session?.user.email)) return new Response("Not found", { status: 404 });
  return queueBoard().fetch(req);
}

export { handler as GET, handler as POST, handler as PUT, handler as DELETE, handler as PATCH };
