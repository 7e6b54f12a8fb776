import { createHash } from "node:crypto";
import { env } from "../env.js";
import { announceImageStatus, enqueueProcessImage } from "./queue";
import { attachContent, toOwnImage, upsertUploadedImage, usedBytes, type OwnImage } from "./images";
import { limitImageUpload } from "./rate-limit";
import { mediaStorage, originalKey } from "./storage";
import { ImageRefusedError, inspectImage } from "./transform";

// Taking an upload in: limits first (rate, declared size, quota), then the bytes counted as they arrive
// and the upload cut off past the limit, so nothing over it is ever stored. The bytes are typed by sharp
// (the worker does it again, fully); the name and type the browser sent are never used.

/** Why an upload was refused, as a sentence, with the HTTP status the route answers. */
export class UploadRefusedError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 | 429,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "UploadRefusedError";
  }
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

function tooLarge(): UploadRefusedError {
  return new UploadRefusedError(`This file is larger than the ${megabytes(env.MEDIA_MAX_UPLOAD_BYTES)} limit for images.`, 413);
}

async function checkQuota(ownerId: string, incoming: number): Promise<void> {
  const used = await usedBytes(ownerId);
  if (used + incoming > env.MEDIA_QUOTA_BYTES) {
    throw new UploadRefusedError(
      `Your image library is full (${megabytes(used)} of ${megabytes(env.MEDIA_QUOTA_BYTES)}): delete images you no longer use, then try again.`,
      413,
    );
  }
}

/** Reads the body, refusing it as soon as it passes `max` bytes. */
async function readLimited(body: ReadableStream<Uint8Array>, max: number): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Limits every upload and remote copy passes before its bytes are read. */
export async function admitUpload(ownerId: string, declaredBytes: number | null): Promise<void> {
  const wait = await limitImageUpload(ownerId);
  if (wait !== null) throw new UploadRefusedError(`Too many uploads. Try again in ${wait} seconds.`, 429, wait);
  if (declaredBytes !== null && declaredBytes > env.MEDIA_MAX_UPLOAD_BYTES) throw tooLarge();
  await checkQuota(ownerId, declaredBytes ?? 0);
}

/**
 * Stores an original (once per content) and queues its processing; the writer's image row. `remoteRowId`:
 * a remote copy's `fetching` row, which becomes the image (or gives way to the writer's existing one).
 */
export async function storeOriginal(ownerId: string, bytes: Buffer, remoteRowId?: string): Promise<OwnImage> {
  if (bytes.length === 0) throw new UploadRefusedError("The file is empty.", 400);
  await checkQuota(ownerId, bytes.length);
  try {
    await inspectImage(bytes, { maxPixels: env.MEDIA_MAX_PIXELS });
  } catch (err) {
    if (err instanceof ImageRefusedError) throw new UploadRefusedError(err.message, 400);
    throw err;
  }
  const contentHash = createHash("sha256").update(bytes).digest("hex");
  const storage = mediaStorage();
  if (!(await storage.exists(originalKey(contentHash)))) await storage.put(originalKey(contentHash), bytes, "application/octet-stream");
  const row = remoteRowId ? await attachContent(remoteRowId, ownerId, contentHash, bytes.length) : await upsertUploadedImage(ownerId, contentHash, bytes.length);
  if (row.status === "queued") {
    await enqueueProcessImage({ contentHash });
    await announceImageStatus({ ownerId, imageId: row.id, status: "queued", error: null });
  }
  return toOwnImage(row);
}

/** The streaming upload route's work: limits, then the body (cut off past the limit), then storage. */
export async function acceptUpload(ownerId: string, body: ReadableStream<Uint8Array> | null, declaredBytes: number | null): Promise<OwnImage> {
  await admitUpload(ownerId, declaredBytes);
  if (!body) throw new UploadRefusedError("The file is empty.", 400);
  const bytes = await readLimited(body, env.MEDIA_MAX_UPLOAD_BYTES);
  return storeOriginal(ownerId, bytes);
}
