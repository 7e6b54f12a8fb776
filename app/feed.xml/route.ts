import { buildFeed } from "@/server/feeds";

export const dynamic = "force-dynamic";

/** The site-wide RSS 2.0 feed. */
export async function GET() {
  const xml = await buildFeed({ kind: "site" });
  return new Response(xml, { headers: { "content-type": "application/rss+xml; charset=utf-8", "cache-control": "public, max-age=300" } });
}
