import { and, eq } from "drizzle-orm";
import { db } from "../db";
import { env } from "../env.js";
import { postsUsingImages, type ImageUse } from "../posts/media-references";
import { removeImage } from "./collect-unused";
import { getOwnImage, listOwnImages, toOwnImage, usedBytes, type OwnImage } from "./images";
import { announceImageStatus, enqueueCopyRemoteImage, enqueueProcessImage } from "./queue";
import { images } from "./schema";
import { admitUpload } from "./upload";

// The writer's use cases on their library: list, delete, retry, copy from an address. Every one is
// filtered by owner: another writer's image is "not found", never "forbidden".

/** A domain refusal; the router maps `kind` to its transport code. */
export class MediaError extends Error {
  constructor(
    readonly kind: "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED",
    message: string,
  ) {
    super(message);
    this.name = "MediaError";
  }
}

export interface LibraryImage extends OwnImage {
  usedIn: Omit<ImageUse, "contentHash">[];
}

export interface Library {
  images: LibraryImage[];
  usedBytes: number;
  quotaBytes: number;
}

export async function getLibrary(ownerId: string): Promise<Library> {
  const rows = await listOwnImages(ownerId);
  const uses = await postsUsingImages(ownerId, rows.flatMap((r) => (r.contentHash ? [r.contentHash] : [])));
  return {
    images: rows.map((row) => ({
      ...toOwnImage(row),
      usedIn: uses.filter((u) => u.contentHash === row.contentHash).map(({ contentHash: _hash, ...use }) => use),
    })),
    usedBytes: await usedBytes(ownerId),
    quotaBytes: env.MEDIA_QUOTA_BYTES,
  };
}

export async function getImage(ownerId: string, imageId: string): Promise<OwnImage> {
  const row = await getOwnImage(ownerId, imageId);
  if (!row) throw new MediaError("NOT_FOUND", "There is no such image in your library.");
  return toOwnImage(row);
}

/**
 * Deletes an image from the library. Refused while a live post shows it; when drafts use it, refused
 * unless `force` (the writer confirmed: those drafts would show a missing image).
 */
export async function deleteImage(ownerId: string, imageId: string, force: boolean): Promise<{ deleted: true }> {
  const row = await getOwnImage(ownerId, imageId);
  if (!row) throw new MediaError("NOT_FOUND", "There is no such image in your library.");
  const uses = row.contentHash ? await postsUsingImages(ownerId, [row.contentHash]) : [];
  const live = uses.find((u) => u.live);
  if (live) throw new MediaError("CONFLICT", `This image is in the published post “${live.title}”: remove it from the post and update the post first.`);
  if (uses.length > 0 && !force) {
    throw new MediaError("PRECONDITION_FAILED", `This image is used in ${uses.map((u) => `“${u.title}”`).join(", ")}. Delete it anyway?`);
  }
  await removeImage(row);
  return { deleted: true };
}

/** Runs a failed image again (its processing, or the copy from its address). */
export async function retryImage(ownerId: string, imageId: string): Promise<OwnImage> {
  const row = await getOwnImage(ownerId, imageId);
  if (!row) throw new MediaError("NOT_FOUND", "There is no such image in your library.");
  if (row.status !== "failed") return toOwnImage(row);
  const status = row.contentHash ? "queued" : "fetching";
  const [updated] = await db
    .update(images)
    .set({ status, error: null })
    .where(and(eq(images.id, imageId), eq(images.ownerId, ownerId)))
    .returning();
  if (row.contentHash) await enqueueProcessImage({ contentHash: row.contentHash });
  else await enqueueCopyRemoteImage({ imageId });
  await announceImageStatus({ ownerId, imageId, status, error: null });
  return toOwnImage(updated ?? row);
}

/** Queues a copy of a remote image into the library (the worker fetches it under the SSRF rules). */
export async function copyRemoteImageToLibrary(ownerId: string, url: string): Promise<OwnImage> {
  await admitUpload(ownerId, null);
  const [row] = await db.insert(images).values({ ownerId, sourceUrl: url, status: "fetching" }).returning();
  if (!row) throw new Error("could not create the image row");
  await enqueueCopyRemoteImage({ imageId: row.id });
  return toOwnImage(row);
}
