import { getSession } from "@/server/auth/session";
import { exportSubscribersCsv } from "@/server/newsletter/audience";

/** The writer's list as CSV (a plain link: it downloads without JavaScript). */
export async function GET() {
  const session = await getSession();
  if (!session) return new Response("Sign in to export your subscribers.", { status: 401, headers: { "content-type": "text/plain; charset=utf-8" } });
  const csv = await exportSubscribersCsv(session.user.id);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="subscribers-${new Date().toISOString().slice(0, 10)}.csv"`,
      "cache-control": "private, no-store",
    },
  });
}
