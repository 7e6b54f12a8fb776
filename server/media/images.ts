import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { db } from "../db";
import { announceImageStatus } from "./queue";
import { images, type ImageRow, type ImageStatus } from "./schema";
import { imageAddress, type FallbackExt } from "./variants";
import type { TransformedImage } from "./transform";

// The images table: the only module that writes it. Rows belong to one writer; objects in storage are
// shared by content hash, so a row is per writer and the bytes once.

/** The fields the writer's pages get (never the owner id or the source of a remote copy's redirects). */
export interface OwnImage {
  id: string;
  status: ImageStatus;
  error: string | null;
  contentHash: string | null;
  width: number | null;
  height: number | null;
  animated: boolean;
  placeholder: string | null;
  storedBytes: number;
  originalBytes: number;
  sourceUrl: string | null;
  createdAt: Date;
  /** The address to put in Markdown, once processed. */
  address: string | null;
}

export function toOwnImage(row: ImageRow): OwnImage {
  const ready = row.status === "ready" && row.contentHash && row.width && row.height && row.fallback;
  return {
    id: row.id,
    status: row.status,
    error: row.error,
    contentHash: row.contentHash,
    width: row.width,
    height: row.height,
    animated: row.animated,
    placeholder: row.placeholder,
    storedBytes: row.storedBytes,
    originalBytes: row.originalBytes,
    sourceUrl: row.sourceUrl,
    createdAt: row.createdAt,
    address: ready ? imageAddress({ contentHash: row.contentHash!, width: row.width!, height: row.height!, fallback: row.fallback as FallbackExt }) : null,
  };
}

export async function getOwnImage(ownerId: string, imageId: string): Promise<ImageRow | undefined> {
  const [row] = await db.select().from(images).where(and(eq(images.id, imageId), eq(images.ownerId, ownerId)));
  return row;
}

export async function listOwnImages(ownerId: string, limit = 500): Promise<ImageRow[]> {
  return db.select().from(images).where(eq(images.ownerId, ownerId)).orderBy(desc(images.createdAt)).limit(limit);
}

/** Bytes the writer's images take (originals and variants; the original's size until processed). */
export async function usedBytes(ownerId: string): Promise<number> {
  const [row] = await db
    .select({ used: sql<string>`coalesce(sum(greatest(${images.storedBytes}, ${images.originalBytes})), 0)` })
    .from(images)
    .where(eq(images.ownerId, ownerId));
  return Number(row?.used ?? 0);
}

/**
 * The writer's row for this content, made if new (`queued`). An existing row is returned as it is, except
 * a failed one, which is queued again (a new upload of the same bytes is a retry).
 */
export async function upsertUploadedImage(ownerId: string, contentHash: string, originalBytes: number): Promise<ImageRow> {
  const [inserted] = await db
    .insert(images)
    .values({ ownerId, contentHash, originalBytes, storedBytes: originalBytes, status: "queued" })
    .onConflictDoNothing({ target: [images.ownerId, images.contentHash] })
    .returning();
  if (inserted) return inserted;
  const [existing] = await db
    .update(images)
    .set({ status: sql`case when ${images.status} = 'failed' then 'queued'::media.image_status else ${images.status} end`, error: sql`case when ${images.status} = 'failed' then null else ${images.error} end` })
    .where(and(eq(images.ownerId, ownerId), eq(images.contentHash, contentHash)))
    .returning();
  if (!existing) throw new Error("image row vanished");
  return existing;
}

/**
 * A remote copy's `fetching` row gets its bytes' hash and is queued; if the writer already has those
 * bytes, that row is kept and this one removed. Returns the row that now holds the image.
 */
export async function attachContent(imageId: string, ownerId: string, contentHash: string, originalBytes: number): Promise<ImageRow> {
  const [existing] = await db
    .select()
    .from(images)
    .where(and(eq(images.ownerId, ownerId), eq(images.contentHash, contentHash)));
  if (existing) {
    await db.delete(images).where(eq(images.id, imageId));
    return existing;
  }
  const [row] = await db
    .update(images)
    .set({ contentHash, originalBytes, storedBytes: originalBytes, status: "queued", error: null })
    .where(eq(images.id, imageId))
    .returning();
  if (!row) throw new Error("image row vanished");
  return row;
}

/** Sets the status of every row of this content and tells their writers. */
export async function setStatusByHash(contentHash: string, status: ImageStatus, error: string | null, only?: ImageStatus[]): Promise<ImageRow[]> {
  const rows = await db
    .update(images)
    .set({ status, error })
    .where(and(eq(images.contentHash, contentHash), only ? inArray(images.status, only) : undefined))
    .returning();
  await Promise.all(rows.map((row) => announceImageStatus({ ownerId: row.ownerId, imageId: row.id, status, error })));
  return rows;
}

/** What processing found out about an image (transform.ts), and the bytes its variants take. */
export type ProcessedFields = Omit<TransformedImage, "variants"> & { variantBytes: number };

/** Records the worker's result on every row of this content. */
export async function completeByHash(contentHash: string, fields: ProcessedFields): Promise<ImageRow[]> {
  const { variantBytes, ...rest } = fields;
  const rows = await db
    .update(images)
    .set({ ...rest, status: "ready", error: null, storedBytes: sql`${images.originalBytes} + ${variantBytes}`, processedAt: new Date() })
    .where(eq(images.contentHash, contentHash))
    .returning();
  await Promise.all(rows.map((row) => announceImageStatus({ ownerId: row.ownerId, imageId: row.id, status: "ready", error: null })));
  return rows;
}

/** A processed row of this content (any writer's): its result can be copied instead of made again. */
export async function readyRowOf(contentHash: string): Promise<ImageRow | undefined> {
  const [row] = await db
    .select()
    .from(images)
    .where(and(eq(images.contentHash, contentHash), eq(images.status, "ready")))
    .limit(1);
  return row;
}

/** Rows left of this content, after deletions: when none, its objects can go. */
export async function countRowsOfHash(contentHash: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(images).where(eq(images.contentHash, contentHash));
  return row?.n ?? 0;
}

export async function deleteImageRow(ownerId: string, imageId: string): Promise<ImageRow | undefined> {
  const [row] = await db
    .delete(images)
    .where(and(eq(images.id, imageId), eq(images.ownerId, ownerId)))
    .returning();
  return row;
}

/**
 * Contents with a row left `queued` for longer than `seconds` (its job could not be enqueued, for
 * instance during a Redis outage): the worker's sweep enqueues them again.
 */
export async function listStaleQueuedHashes(seconds: number, limit = 200): Promise<string[]> {
  const rows = await db
    .selectDistinct({ contentHash: images.contentHash })
    .from(images)
    .where(and(eq(images.status, "queued"), lt(images.createdAt, sql`now() - make_interval(secs => ${seconds})`)))
    .limit(limit);
  return rows.flatMap((r) => (r.contentHash ? [r.contentHash] : []));
}
