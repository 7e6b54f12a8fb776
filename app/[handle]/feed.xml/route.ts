import { connection } from "next/server";
import { feedNotFound, feedResponse } from "@/components/reading/feed-response";
import { readFeed } from "@/server/cache/public-reads";
import { isUsernameHeld } from "@/server/users/username-holds";
import { parseHandle } from "../_lib/public-data";

/** One writer's RSS 2.0 feed: `/@alice/feed.xml` (the segment arrives as `@alice` or `%40alice`). */
export async function GET(_request: Request, { params }: { params: Promise<{ handle: string }> }) {
  await connection(); // request time, never prerendered; and unlike force-dynamic it keeps the data cache
  const username = parseHandle((await params).handle);
  if (!username || !/^[a-z0-9_]{3,30}$/.test(username)) return feedNotFound();
  const xml = await readFeed({ kind: "author", username });
  if (xml !== null) return feedResponse(xml);
  // A deleted account's feed is gone for good: feed readers drop a subscription on 410.
  return (await isUsernameHeld(username)) ? new Response("This writer deleted their account.", { status: 410 }) : feedNotFound();
}
