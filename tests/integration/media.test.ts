import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getVariant } from "@/app/media/[hash]/[file]/route";
import { db } from "@/server/db";
import { collectUnusedImages } from "@/server/media/collect-unused";
import { processImage, requeueStaleImages } from "@/server/media/process-image";
import { upsertUploadedImage } from "@/server/media/images";
import { createHash } from "node:crypto";
import { limitImageUpload } from "@/server/media/rate-limit";
import { images } from "@/server/media/schema";
import { mediaStorage, originalKey, variantKey } from "@/server/media/storage";
import { transformImage } from "@/server/media/transform";
import { acceptUpload, UploadRefusedError } from "@/server/media/upload";
import { env } from "@/server/env.js";
import { createMediaWorker, type MediaWorker } from "@/worker/media-worker";
import { animatedGif, decompressionBombPng, heicPhoto, HTML_POLYGLOT, phoneJpeg, SVG_WITH_SCRIPT, transparentPng, truncatedJpeg } from "../fixtures/images";
import { errorCode, eventually, newWriter, startWorkerForFile } from "./helpers";

// Uploads through the real upload path, processed by a real media worker with sharp, stored in a real
// folder (this run's MEDIA_LOCAL_DIR), read back through the route that serves them.

startWorkerForFile();
let mediaWorker: MediaWorker;
beforeAll(async () => {
  mediaWorker = createMediaWorker({ collectEveryMs: 0, sweepIntervalMs: 0, concurrency: 2 });
  await mediaWorker.worker.waitUntilReady();
});
afterAll(async () => {
  await mediaWorker.close();
});

const streamOf = (bytes: Buffer) => new Blob([new Uint8Array(bytes)]).stream();
const upload = (ownerId: string, bytes: Buffer) => acceptUpload(ownerId, streamOf(bytes), bytes.length);
type Writer = Awaited<ReturnType<typeof newWriter>>;
const settled = (writer: Writer, id: string) => eventually(() => writer.api.media.byId({ id }), (i) => i.status === "ready" || i.status === "failed", 60_000);

async function refusal(promise: Promise<unknown>): Promise<UploadRefusedError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof UploadRefusedError) return err;
    throw err;
  }
  throw new Error("expected the upload to be refused");
}

async function fetchVariant(hash: string, file: string) {
  const response = await getVariant(new Request(`http://test/media/${hash}/${file}`), { params: Promise.resolve({ hash, file }) });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe("image processing", () => {
  it("applies the orientation, strips every piece of metadata and makes AVIF, WebP and JPEG variants, never upscaled", async () => {
    const writer = await newWriter("Photo");
    const original = await phoneJpeg(1200, 800); // orientation 6: shown 800 wide, 1200 high
    const uploaded = await upload(writer.profile.id, original);
    expect(uploaded.status).toBe("queued");
    const image = await settled(writer, uploaded.id);
    expect(image).toMatchObject({ status: "ready", width: 800, height: 1200 });
    expect(image.placeholder).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(image.address).toBe(`/media/${image.contentHash}/800x1200.jpg`);
    const [row] = await db.select().from(images).where(eq(images.id, image.id));
    expect(row?.widths).toEqual([320, 640, 800]);

    for (const [file, type] of [["640.avif", "image/avif"], ["640.webp", "image/webp"], ["800.jpg", "image/jpeg"], ["800x1200.jpg", "image/jpeg"]] as const) {
      const { response, bytes } = await fetchVariant(image.contentHash!, file);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(type);
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(bytes.includes(Buffer.from("SN-123456"))).toBe(false);
      expect(bytes.includes(Buffer.from("PhoneCo"))).toBe(false);
    }
    const { bytes: largest } = await fetchVariant(image.contentHash!, "800.jpg");
    expect(await sharp(largest).metadata()).toMatchObject({ width: 800, height: 1200 });
    // Nothing wider than the original, and the original itself is never served.
    expect((await fetchVariant(image.contentHash!, "960.jpg")).response.status).toBe(404);
    expect((await fetchVariant(image.contentHash!, "original")).response.status).toBe(404);
  });

  it("keeps an animated GIF animated (animated WebP and GIF, no AVIF) and a transparent PNG transparent", async () => {
    const writer = await newWriter("Anim");
    const gif = await settled(writer, (await upload(writer.profile.id, await animatedGif())).id);
    expect(gif).toMatchObject({ status: "ready", animated: true, width: 400, height: 300 });
    const webp = (await fetchVariant(gif.contentHash!, "320.webp")).bytes;
    expect((await sharp(webp, { animated: true }).metadata()).pages).toBe(3);
    expect((await fetchVariant(gif.contentHash!, "400.gif")).response.headers.get("content-type")).toBe("image/gif");
    expect((await fetchVariant(gif.contentHash!, "400.avif")).response.status).toBe(404);

    const png = await settled(writer, (await upload(writer.profile.id, await transparentPng())).id);
    expect(png.address).toMatch(/\/500x300\.png$/);
    expect((await sharp((await fetchVariant(png.contentHash!, "500.png")).bytes).metadata()).hasAlpha).toBe(true);
  });

  it("processes the same bytes once, whoever uploads them (idempotent per content hash)", async () => {
    const [a, b] = [await newWriter("SameA"), await newWriter("SameB")];
    const bytes = await phoneJpeg(700, 500, 7);
    const first = await settled(a, (await upload(a.profile.id, bytes)).id);
    const again = await upload(a.profile.id, bytes);
    expect(again.id).toBe(first.id);
    const second = await settled(b, (await upload(b.profile.id, bytes)).id);
    expect(second.id).not.toBe(first.id);
    expect(second.contentHash).toBe(first.contentHash);
    // A late duplicate job finds nothing left to do.
    expect(await processImage(first.contentHash!)).toBe("skipped");
  });
});

describe("bad and hostile uploads", () => {
  it("refuses SVG (scripts, foreignObject, external references) and an HTML file named .jpg, storing nothing", async () => {
    const writer = await newWriter("Hostile");
    const svg = await refusal(upload(writer.profile.id, SVG_WITH_SCRIPT));
    expect(svg.status).toBe(400);
    expect(svg.message).toMatch(/SVG images are not accepted/);
    const html = await refusal(upload(writer.profile.id, HTML_POLYGLOT));
    expect(html.message).toMatch(/not an image InkWell can use/);
    expect((await writer.api.media.list()).images).toHaveLength(0);
    expect(await mediaStorage().exists(originalKey("0".repeat(64)))).toBe(false);
  });

  it("refuses a phone's HEIC photo at upload, saying how to send it as JPEG, and stores nothing", async () => {
    const writer = await newWriter("Phone");
    const heic = await refusal(upload(writer.profile.id, heicPhoto()));
    expect(heic.status).toBe(400);
    expect(heic.message).toMatch(/^HEIC photos .* cannot be processed here yet: export the photo as JPEG first/);
    expect((await writer.api.media.list()).images).toHaveLength(0);
  });

  it("refuses a file over the limit before storing it, whether it declares its size or not", async () => {
    const writer = await newWriter("Big");
    const big = Buffer.alloc(env.MEDIA_MAX_UPLOAD_BYTES + 1, 1);
    expect((await refusal(upload(writer.profile.id, big))).status).toBe(413);
    const undeclared = await refusal(acceptUpload(writer.profile.id, streamOf(big), null));
    expect(undeclared.status).toBe(413);
    expect(undeclared.message).toMatch(/larger than the 20 MB limit/);
    expect((await writer.api.media.list()).usedBytes).toBe(0);
  });

  it("refuses a decompression bomb by its pixel count, without decoding it", async () => {
    const writer = await newWriter("Bomb");
    const bomb = decompressionBombPng();
    expect(bomb.length).toBeLessThan(200_000);
    const refused = await refusal(upload(writer.profile.id, bomb));
    expect(refused.message).toMatch(/too large to process \(50000 × 50000 pixels/);
    // The worker checks again, should one reach it another way.
    await expect(transformImage(bomb, { maxPixels: env.MEDIA_MAX_PIXELS })).rejects.toThrow(/too large to process/);
  });

  it("fails a truncated image's job with a clear reason, and Retry runs it again", async () => {
    const writer = await newWriter("Broken");
    const uploaded = await upload(writer.profile.id, await truncatedJpeg());
    const failed = await settled(writer, uploaded.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/damaged or incomplete/);
    const retried = await writer.api.media.retry({ id: uploaded.id });
    expect(retried.status).toBe("queued");
    expect((await settled(writer, uploaded.id)).status).toBe("failed");
  });

  it("rate limits uploads per writer", async () => {
    const writer = await newWriter("Rapid");
    for (let i = 0; i < env.MEDIA_UPLOADS_PER_HOUR; i++) expect(await limitImageUpload(writer.profile.id)).toBeNull();
    const refused = await refusal(upload(writer.profile.id, await transparentPng(20, 20)));
    expect(refused.status).toBe(429);
    expect(refused.message).toMatch(/Too many uploads/);
    // Another writer is not affected.
    const other = await newWriter("Calm");
    expect((await upload(other.profile.id, await transparentPng(21, 21))).status).toBe("queued");
  });

  it("never lets another writer see, retry or delete an image", async () => {
    const [owner, other] = [await newWriter("Owner"), await newWriter("Other")];
    const image = await settled(owner, (await upload(owner.profile.id, await transparentPng(33, 33))).id);
    expect(await errorCode(other.api.media.byId({ id: image.id }))).toBe("NOT_FOUND");
    expect(await errorCode(other.api.media.delete({ id: image.id, force: true }))).toBe("NOT_FOUND");
    expect(await errorCode(other.api.media.retry({ id: image.id }))).toBe("NOT_FOUND");
    expect((await other.api.media.list()).images).toHaveLength(0);
    expect((await owner.api.media.byId({ id: image.id })).status).toBe("ready");
  });
});

describe("the library", () => {
  it("refuses to delete an image a published post shows, warns for drafts, and removes the bytes with the last row", async () => {
    const writer = await newWriter("Lib");
    const image = await settled(writer, (await upload(writer.profile.id, await phoneJpeg(640, 480, 3))).id);
    const post = await writer.api.posts.create({ title: "With a picture", markdown: `Look:\n\n![A blue field](${image.address})` });
    const library = await writer.api.media.list();
    expect(library.quotaBytes).toBe(1024 ** 3);
    expect(library.usedBytes).toBeGreaterThan(0);
    expect(library.images[0]?.usedIn).toEqual([{ postId: post.id, title: "With a picture", live: false }]);
    expect(await errorCode(writer.api.media.delete({ id: image.id }))).toBe("PRECONDITION_FAILED");

    await writer.api.posts.publish({ id: post.id });
    await eventually(() => writer.api.posts.byId({ id: post.id }), (p) => p.publishedVersion !== null);
    expect(await errorCode(writer.api.media.delete({ id: image.id, force: true }))).toBe("CONFLICT");

    // The published page and the preview render the same <picture>.
    const published = await writer.api.posts.bySlug({ username: writer.profile.username, slug: (await writer.api.posts.byId({ id: post.id })).slug });
    const preview = await writer.api.posts.preview({ markdown: `Look:\n\n![A blue field](${image.address})` });
    expect(published.html).toBe(preview.html);
    expect(published.html).toContain(`<source type="image/avif" srcset="/media/${image.contentHash}/320.avif 320w`);
    expect(published.html).toContain('width="480" height="640" alt="A blue field"');

    await writer.api.posts.unpublish({ id: post.id });
    await writer.api.posts.delete({ id: post.id });
    const keys = [originalKey(image.contentHash!), variantKey(image.contentHash!, 480, "jpg")];
    expect(await mediaStorage().exists(keys[1]!)).toBe(true);
    await writer.api.media.delete({ id: image.id });
    for (const key of keys) expect(await mediaStorage().exists(key)).toBe(false);
    expect((await writer.api.media.list()).images).toHaveLength(0);
  });

  it("collects images no post has referenced for 30 days, and keeps the ones in use", async () => {
    const writer = await newWriter("Gc");
    const used = await settled(writer, (await upload(writer.profile.id, await transparentPng(41, 41))).id);
    const unused = await settled(writer, (await upload(writer.profile.id, await transparentPng(42, 42))).id);
    const recent = await settled(writer, (await upload(writer.profile.id, await transparentPng(43, 43))).id);
    await writer.api.posts.create({ title: "Keeps one", markdown: `![kept](${used.address})` });
    const old = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    for (const id of [used.id, unused.id]) await db.update(images).set({ createdAt: old }).where(eq(images.id, id));
    expect(await collectUnusedImages()).toBeGreaterThanOrEqual(1);
    const left = (await writer.api.media.list()).images.map((i) => i.id).sort();
    expect(left).toEqual([used.id, recent.id].sort());
    expect(await mediaStorage().exists(originalKey(unused.contentHash!))).toBe(false);
  });

  it("processes an image whose job was lost (stored and recorded, never enqueued) once the sweep finds it", async () => {
    const writer = await newWriter("Lost");
    const bytes = await transparentPng(51, 52);
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    await mediaStorage().put(originalKey(contentHash), bytes, "application/octet-stream");
    const row = await upsertUploadedImage(writer.profile.id, contentHash, bytes.length);
    await db.update(images).set({ createdAt: new Date(Date.now() - 10 * 60_000) }).where(eq(images.id, row.id));
    expect(await requeueStaleImages()).toBeGreaterThanOrEqual(1);
    expect((await settled(writer, row.id)).status).toBe("ready");
  });

  it("refuses a deleted or unknown image id with NOT_FOUND", async () => {
    const writer = await newWriter("Unknown");
    expect(await errorCode(writer.api.media.byId({ id: randomUUID() }))).toBe("NOT_FOUND");
  });
});
