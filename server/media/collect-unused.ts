import { and, asc, eq, gt, lt, or } from "drizzle-orm";
import { db } from "../db";
import { logger as rootLogger } from "../logger";
import { imageHashesReferenced } from "../posts/media-references";
import { countRowsOfHash } from "./images";
import { objectKeys } from "./process-image";
import { images } from "./schema";
import { mediaStorage, type MediaStorage } from "./storage";

const logger = rootLogger.child({ component: "media" });

/** Images no post version has referenced for this long are removed. */
export const UNUSED_IMAGE_DAYS = 30;

/** Removes a writer's image row, and its stored objects once no writer's row has that content. */
export async function removeImage(row: typeof images.$inferSelect, storage: MediaStorage = mediaStorage()): Promise<void> {
  await db.delete(images).where(eq(images.id, row.id));
  if (row.contentHash && (await countRowsOfHash(row.contentHash)) === 0) await storage.remove(objectKeys(row));
}

/**
 * The scheduled `collect-unused-images` job: walks images older than UNUSED_IMAGE_DAYS (by id, in batches)
 * and removes those none of their writer's posts refers to, nor a version published in that time.
 */
export async function collectUnusedImages(now = new Date(), storage: MediaStorage = mediaStorage()): Promise<number> {
  const cutoff = new Date(now.getTime() - UNUSED_IMAGE_DAYS * 24 * 3600 * 1000);
  let removed = 0;
  let after: string | null = null;
  for (;;) {
    const batch = await db
      .select()
      .from(images)
      .where(and(lt(images.createdAt, cutoff), after ? gt(images.id, after) : undefined, or(eq(images.status, "ready"), eq(images.status, "failed"))))
      .orderBy(asc(images.id))
      .limit(200);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.id;
    const byOwner = new Map<string, typeof batch>();
    for (const row of batch) byOwner.set(row.ownerId, [...(byOwner.get(row.ownerId) ?? []), row]);
    for (const [ownerId, rows] of byOwner) {
      const hashes = rows.flatMap((r) => (r.contentHash ? [r.contentHash] : []));
      const used = await imageHashesReferenced(ownerId, hashes, UNUSED_IMAGE_DAYS);
      for (const row of rows) {
        if (row.contentHash && used.has(row.contentHash)) continue;
        await removeImage(row, storage);
        removed += 1;
      }
    }
  }
  if (removed > 0) logger.info({ removed }, "collect-unused-images removed images");
  return removed;
}
