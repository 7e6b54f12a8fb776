import { connection } from "next/server";
import { feedNotFound, feedResponse } from "@/components/reading/feed-response";
import { readFeed, readTagPosts } from "@/server/cache/public-reads";
import { normalizeTag } from "../tag-param";

/** One tag's RSS 2.0 feed: `/tags/react/feed.xml`; 404 for a tag no published post has (like its page). */
export async function GET(_request: Request, { params }: { params: Promise<{ tag: string }> }) {
  await connection(); // request time, never prerendered; and unlike force-dynamic it keeps the data cache
  const tag = normalizeTag((await params).tag);
  if (!tag || (await readTagPosts(tag, null)).items.length === 0) return feedNotFound();
  const xml = await readFeed({ kind: "tag", tag });
  return xml === null ? feedNotFound() : feedResponse(xml);
}
