import { env } from "../env.js";
import { logger as rootLogger } from "../logger";
import { completeByHash, listStaleQueuedHashes, readyRowOf, setStatusByHash } from "./images";
import { enqueueProcessImage } from "./queue";
import type { ImageRow } from "./schema";
import { mediaStorage, originalKey, readObject, variantKey, type MediaStorage } from "./storage";
import { ImageRefusedError, transformImage } from "./transform";
import { VARIANT_CONTENT_TYPES, variantFormats, type FallbackExt } from "./variants";

const logger = rootLogger.child({ component: "media" });

export type ProcessImageOutcome = "processed" | "copied" | "skipped";

/** Every stored key of a processed image (its original and variants). */
export function objectKeys(row: Pick<ImageRow, "contentHash" | "widths" | "fallback" | "animated">): string[] {
  if (!row.contentHash) return [];
  const hash = row.contentHash;
  const variants = (row.widths ?? []).flatMap((w) => variantFormats((row.fallback ?? "jpg") as FallbackExt, row.animated).map((ext) => variantKey(hash, w, ext)));
  return [originalKey(hash), ...variants];
}

/**
 * What a `process-image` job does: makes the variants of one original and records them on every row with
 * that content. Idempotent per content hash: when another row of the same bytes is already processed
 * (and its objects are there) the result is copied, and a hash with no rows left is skipped.
 * Throws ImageRefusedError (after marking the rows failed with its reason) for images no retry fixes.
 */
export async function processImage(contentHash: string, storage: MediaStorage = mediaStorage()): Promise<ProcessImageOutcome> {
  const rows = await setStatusByHash(contentHash, "processing", null, ["queued", "processing"]);
  if (rows.length === 0) return "skipped";
  const done = await readyRowOf(contentHash);
  if (done && done.widths && done.width && done.height && done.fallback && (await storage.exists(variantKey(contentHash, done.widths.at(-1)!, done.fallback)))) {
    const variantBytes = done.storedBytes - done.originalBytes;
    await completeByHash(contentHash, {
      format: done.format ?? "unknown",
      width: done.width,
      height: done.height,
      animated: done.animated,
      fallback: done.fallback as FallbackExt,
      widths: done.widths,
      placeholder: done.placeholder ?? "",
      variantBytes,
    });
    return "copied";
  }
  const original = await readObject(storage, originalKey(contentHash));
  if (!original) throw new ImageRefusedError("The uploaded file is missing from storage; upload it again.");
  try {
    const result = await transformImage(original, { maxPixels: env.MEDIA_MAX_PIXELS });
    await Promise.all(result.variants.map((v) => storage.put(variantKey(contentHash, v.width, v.ext), v.data, VARIANT_CONTENT_TYPES[v.ext])));
    const variantBytes = result.variants.reduce((sum, v) => sum + v.data.length, 0);
    await completeByHash(contentHash, { ...result, variantBytes });
    logger.info({ contentHash, format: result.format, widths: result.widths, variantBytes }, "process-image done");
    return "processed";
  } catch (err) {
    if (err instanceof ImageRefusedError) await setStatusByHash(contentHash, "failed", err.message);
    throw err;
  }
}

/** After a retryable failure's last attempt: the rows say why, and the writer can press Retry. */
export async function recordImageFailure(contentHash: string, reason: string): Promise<void> {
  await setStatusByHash(contentHash, "failed", reason, ["queued", "processing"]);
}

/** Enqueues again the images left `queued` over two minutes (their job was lost, e.g. to a Redis outage). */
export async function requeueStaleImages(): Promise<number> {
  const stale = await listStaleQueuedHashes(120);
  for (const contentHash of stale) await enqueueProcessImage({ contentHash });
  return stale.length;
}
