import { sql } from "drizzle-orm";
import { db } from "../db";

// Which of a writer's posts refer to uploaded images (by content hash, as in the addresses
// media/variants.ts makes): for the media library's "where used" and its refusal to delete an image a
// live post shows, and for the collection of unused images. The posts module owns these tables.

export interface ImageUse {
  contentHash: string;
  postId: string;
  title: string;
  /** The live version (readers see it) shows the image. */
  live: boolean;
}

/** Every post of the author whose working copy or live version uses one of `hashes`. */
export async function postsUsingImages(authorId: string, hashes: string[]): Promise<ImageUse[]> {
  if (hashes.length === 0) return [];
  const rows = await db.execute<{ content_hash: string; post_id: string; title: string; live: boolean }>(sql`
    select h.hash as content_hash, p.id as post_id, p.title,
      coalesce(p.published_markdown like '%/media/' || h.hash || '/%', false)
        or coalesce(p.published_cover_image_url like '%/media/' || h.hash || '/%', false) as live
    from unnest(${sql.param(hashes)}::text[]) as h(hash)
    join posts.posts p on p.author_id = ${authorId} and (
      p.markdown like '%/media/' || h.hash || '/%' or p.published_markdown like '%/media/' || h.hash || '/%'
      or p.cover_image_url like '%/media/' || h.hash || '/%' or p.published_cover_image_url like '%/media/' || h.hash || '/%')
    order by p.updated_at desc`);
  return rows.map((r) => ({ contentHash: r.content_hash, postId: r.post_id, title: r.title, live: r.live }));
}

/**
 * Of `hashes`, those the author's posts refer to now (working copy, live version, covers) or a version
 * published within `days` did.
 */
export async function imageHashesReferenced(authorId: string, hashes: string[], days: number): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db.execute<{ hash: string }>(sql`
    select h.hash from unnest(${sql.param(hashes)}::text[]) as h(hash)
    where exists (
      select 1 from posts.posts p where p.author_id = ${authorId} and (
        p.markdown like '%/media/' || h.hash || '/%' or p.published_markdown like '%/media/' || h.hash || '/%'
        or p.cover_image_url like '%/media/' || h.hash || '/%' or p.published_cover_image_url like '%/media/' || h.hash || '/%'))
    or exists (
      select 1 from posts.revisions r join posts.posts p on p.id = r.post_id
      where p.author_id = ${authorId} and r.published_at > now() - make_interval(days => ${days})
        and r.markdown like '%/media/' || h.hash || '/%')`);
  return new Set(rows.map((r) => r.hash));
}
