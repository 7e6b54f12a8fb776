import { and, eq, like, or } from "drizzle-orm";
import type { Transaction } from "../db";
import { enqueueNewVersions, enqueuePublishPost } from "../jobs/queues";
import { logger } from "../logger";
import { posts, type PostRow } from "./schema";
import { firstFreeSlug, slugForTitle } from "./slug";
import { announcePost } from "./status-events";

// Posts created by an import (server/portability): written with their original dates and state, a batch
// in one INSERT inside the importer's transaction (which also records the posts' import keys), then sent
// down the normal path: queued for the worker, which renders the version and, for a published post,
// makes it live keeping its original `published_at` (live columns take `coalesce(published_at, now())`).

export interface ImportedPostFields {
  title: string;
  /** The source's slug, normalised; kept when the writer has no post with it, else suffixed. */
  preferredSlug: string | null;
  markdown: string;
  tags: string[];
  coverImageUrl: string | null;
  canonicalUrl: string | null;
  excerptOverride: string | null;
  visibility: PostRow["visibility"];
  publishedAt: Date | null;
  scheduledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A post of an import batch: its id is chosen by the importer, which records it with the import key. */
export interface ImportedPostInsert {
  id: string;
  fields: ImportedPostFields;
}

/**
 * The slugs of a batch, in its order: each source slug (or the title's) kept when the writer has no
 * post with it and no earlier post of the batch took it, else suffixed. One query for the batch.
 */
async function importSlugs(tx: Transaction, authorId: string, items: readonly ImportedPostInsert[]): Promise<string[]> {
  const bases = items.map(({ fields }) => fields.preferredSlug ?? slugForTitle(fields.title));
  const prefixes = [...new Set(bases)].flatMap((base) => [like(posts.slug, `${base}%`), like(posts.publishedSlug, `${base}%`)]);
  const rows = await tx
    .select({ slug: posts.slug, publishedSlug: posts.publishedSlug })
    .from(posts)
    .where(and(eq(posts.authorId, authorId), or(...prefixes)));
  const taken = new Set(rows.flatMap((r) => [r.slug, r.publishedSlug ?? r.slug]));
  return bases.map((base) => {
    const slug = firstFreeSlug(base, taken);
    taken.add(slug);
    return slug;
  });
}

/** Inserts a batch of imported posts in one INSERT, in the caller's transaction. */
export async function insertImportedPosts(tx: Transaction, authorId: string, items: readonly ImportedPostInsert[]): Promise<PostRow[]> {
  if (items.length === 0) return [];
  const slugs = await importSlugs(tx, authorId, items);
  const now = new Date();
  return tx
    .insert(posts)
    .values(
      items.map(({ id, fields }, i) => ({
        id,
        authorId,
        title: fields.title,
        slug: slugs[i] ?? slugForTitle(fields.title),
        markdown: fields.markdown,
        tags: fields.tags,
        coverImageUrl: fields.coverImageUrl,
        canonicalUrl: fields.canonicalUrl,
        excerptOverride: fields.excerptOverride,
        visibility: fields.visibility,
        scheduledAt: fields.scheduledAt,
        // Going live is decided when the worker finishes version 1, as after Publish.
        goingLiveVersion: fields.visibility === "published" ? 1 : null,
        goingLiveAt: fields.visibility === "published" ? now : null,
        publishedAt: fields.publishedAt,
        status: "queued" as const,
        queuedAt: now,
        createdAt: fields.createdAt,
        updatedAt: fields.updatedAt,
      })),
    )
    .returning();
}

/** After the importer's transaction commits: hand the batch to the worker together (the sweep retries a miss). */
export async function dispatchImportedPosts(rows: readonly PostRow[]): Promise<void> {
  await enqueueNewVersions(rows.map((row) => ({ postId: row.id, version: row.version }))).catch((err: unknown) => {
    logger.warn({ err, posts: rows.length }, "enqueue of imported posts failed; the worker sweep will pick them up");
  });
  await Promise.all(
    rows.map(async (row) => {
      if (row.visibility === "scheduled" && row.scheduledAt) await enqueuePublishPost({ postId: row.id, scheduledAt: row.scheduledAt.toISOString() });
      await announcePost(row);
    }),
  );
}
