import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import sharp from "sharp";
import { rgbaToThumbHash } from "thumbhash";
import { chromiumLaunchOptions } from "../../scripts/chromium";
import { phoneJpeg } from "../../tests/fixtures/images";
import type { BenchContext } from "../lib/context";
import { makeRow, type ScenarioResult } from "../lib/results";
import { nowMs, summarize } from "../lib/stats";

// Images: the worker's processing against bare sharp doing the same transforms on the same cores, in
// alternating rounds; the time from an upload of a ~5 MB photo to its picture being renderable in the
// preview; and the bytes Chromium downloads for a post of 10 of those photos against the originals.

/** A reader's screen: Chromium's viewport and device pixel ratio. */
interface Screen {
  name: string;
  width: number;
  height: number;
  dpr: number;
}
const SCREENS: Screen[] = [
  { name: "desktop 1280 px, DPR 1", width: 1280, height: 800, dpr: 1 },
  { name: "phone 390 px, DPR 3", width: 390, height: 844, dpr: 3 },
];

/**
 * Loads `html` (a rendered post) in Chromium at each screen, scrolled to the end so every lazy image
 * loads, and answers the image bytes it received. The page is the rendered HTML in a column as wide
 * as the reading page's (720 px): srcset's choice follows the `sizes` the renderer writes.
 */
async function imageBytesInChromium(html: string, serveMedia: (file: string) => Promise<{ type: string; body: Buffer } | null>): Promise<Map<string, { bytes: number; images: number }>> {
  const page = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{margin:0;font:18px/1.6 serif}article{max-width:720px;margin:0 auto;padding:0 16px}img{max-width:100%;height:auto}</style>
<article>${html}</article></html>`;
  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    if (url === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
      return;
    }
    void serveMedia(url).then(
      (found) => (found ? res.writeHead(200, { "content-type": found.type, "content-length": found.body.length }).end(found.body) : res.writeHead(404).end()),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch(chromiumLaunchOptions);
  const measured = new Map<string, { bytes: number; images: number }>();
  try {
    for (const screen of SCREENS) {
      // A fresh context each time: nothing cached from the other screen.
      const context = await browser.newContext({ viewport: { width: screen.width, height: screen.height }, deviceScaleFactor: screen.dpr });
      const tab = await context.newPage();
      const sizes: Promise<number>[] = [];
      tab.on("requestfinished", (request) => {
        if (request.resourceType() === "image") sizes.push(request.sizes().then((s) => s.responseBodySize));
      });
      await tab.goto(origin, { waitUntil: "load" });
      const count = await tab.locator("article img").count();
      for (let i = 0; i < count; i++) await tab.locator("article img").nth(i).scrollIntoViewIfNeeded();
      await tab.waitForFunction(() => [...document.querySelectorAll("article img")].every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0));
      await tab.waitForLoadState("networkidle");
      const bytes = (await Promise.all(sizes)).reduce((sum, n) => sum + n, 0);
      measured.set(screen.name, { bytes, images: sizes.length });
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return measured;
}

/** The same transforms as server/media/transform.ts, written directly against sharp (the floor). */
async function bareSharp(bytes: Buffer): Promise<number> {
  const meta = await sharp(bytes).metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const width = turned ? meta.height! : meta.width!;
  const widths = [320, 640, 960, 1200, 1600, 1920].filter((w) => w < width).concat(Math.min(width, 1920));
  let total = 0;
  for (const w of new Set(widths)) {
    const resized = sharp(bytes).rotate().resize({ width: w, withoutEnlargement: true });
    total += (await resized.clone().avif({ quality: 50, effort: 2 }).toBuffer()).length;
    total += (await resized.clone().webp({ quality: 75, effort: 3 }).toBuffer()).length;
    total += (await resized.clone().jpeg({ quality: 80, mozjpeg: true }).toBuffer()).length;
  }
  const thumb = await sharp(bytes).rotate().resize(100, 100, { fit: "inside" }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  rgbaToThumbHash(thumb.info.width, thumb.info.height, thumb.data);
  return total;
}

export async function runImagesScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const mediaDir = mkdtempSync(path.join(os.tmpdir(), "inkwell-bench-media-"));
  process.env.MEDIA_LOCAL_DIR = mediaDir;
  const [{ createLocalStorage, setMediaStorage, variantKey, readObject }, { processImage }, { storeOriginal }, { renderMarkdown }, { closeMediaRateLimits }, { db }, { users }] =
    await Promise.all([
      import("@/server/media/storage"),
      import("@/server/media/process-image"),
      import("@/server/media/upload"),
      import("@/server/render"),
      import("@/server/media/rate-limit"),
      import("@/server/db"),
      import("@/server/users/schema"),
    ]);
  const storage = createLocalStorage(mediaDir);
  setMediaStorage(storage);
  try {
    const [owner] = await db
      .insert(users)
      .values({ email: `bench-${randomUUID()}@example.com`, username: `bench_${randomUUID().slice(0, 8)}`, displayName: "Bench", passwordHash: "x" })
      .returning({ id: users.id });
    const ownerId = owner!.id;
    const count = ctx.quick ? 1 : 4;
    // Phone-sized photos (2800 × 2100 of noisy JPEG, about 5 MB).
    const photos = await Promise.all(Array.from({ length: count }, (_, i) => phoneJpeg(2800, 2100, 10 + i)));
    ctx.log(`images: ${count} photos of ${(photos[0]!.length / 1024 / 1024).toFixed(1)} MB`);

    let bareSeconds = 0;
    let oursSeconds = 0;
    const uploadToPreview: number[] = [];
    const bareSamples: number[] = [];
    for (const photo of photos) {
      // Alternating: bare sharp, then the app's path (store, process, record), on the same photo.
      let t0 = nowMs();
      await bareSharp(photo);
      const bare = nowMs() - t0;
      bareSeconds += bare / 1000;
      bareSamples.push(bare);

      t0 = nowMs();
      const image = await storeOriginal(ownerId, photo);
      await processImage(createHash("sha256").update(photo).digest("hex"), storage);
      const [{ getOwnImage, toOwnImage }] = await Promise.all([import("@/server/media/images")]);
      const row = await getOwnImage(ownerId, image.id);
      renderMarkdown(`![photo](${toOwnImage(row!).address})`);
      const ours = nowMs() - t0;
      oursSeconds += ours / 1000;
      uploadToPreview.push(ours);
    }

    // A post of 10 photos (3 with --quick), each processed as the worker does (not timed), read in Chromium.
    const pagePhotos = [...photos, ...(await Promise.all(Array.from({ length: Math.max(0, (ctx.quick ? 3 : 10) - count) }, (_, i) => phoneJpeg(2800, 2100, 100 + i))))].slice(0, ctx.quick ? 3 : 10);
    const markdown: string[] = [];
    for (const [i, photo] of pagePhotos.entries()) {
      const image = await storeOriginal(ownerId, photo);
      await processImage(createHash("sha256").update(photo).digest("hex"), storage);
      const [{ getOwnImage, toOwnImage }] = await Promise.all([import("@/server/media/images")]);
      const row = await getOwnImage(ownerId, image.id);
      markdown.push(`Paragraph ${i + 1} of the post, before its picture.`, `![Photo ${i + 1}](${toOwnImage(row!).address})`);
    }
    const { parseVariantFile, VARIANT_CONTENT_TYPES } = await import("@/server/media/variants");
    const serveMedia = async (url: string) => {
      const [, , hash, file] = url.split("/");
      const variant = parseVariantFile(file ?? "");
      if (!hash || !variant) return null;
      const body = await readObject(storage, variantKey(hash, variant.width, variant.ext));
      return body ? { type: VARIANT_CONTENT_TYPES[variant.ext], body } : null;
    };
    const inChromium = await imageBytesInChromium(renderMarkdown(markdown.join("\n\n")).html, serveMedia);
    const originals = pagePhotos.reduce((sum, photo) => sum + photo.length, 0);
    for (const [screen, { images }] of inChromium) {
      if (images < pagePhotos.length) throw new Error(`Chromium loaded ${images} images of ${pagePhotos.length} at ${screen}`);
    }
    const up = summarize(uploadToPreview);
    const bare = summarize(bareSamples);
    return {
      rows: [
        makeRow("images: processed per second, worker path vs bare sharp (same transforms)", count / oursSeconds, count / bareSeconds, "images/s", "higher"),
        makeRow("images: ~5 MB photo upload → renderable in the preview, p50 (vs bare sharp p50)", up.p50, bare.p50, "ms", "lower"),
        makeRow("images: ~5 MB photo upload → renderable in the preview, p99 (vs bare sharp p99)", up.p99, bare.p99, "ms", "lower"),
        ...[...inChromium].map(([screen, { bytes }]) =>
          makeRow(`images: bytes Chromium downloads for a post of ${pagePhotos.length} photos, ${screen}, vs the originals`, bytes, originals, "bytes", "lower"),
        ),
      ],
      notes: [
        "Images: the upload→preview time is measured in process (upload path, worker function, render), without the queue hop. The bytes rows are " +
          "the response bodies of Chromium's image requests for the rendered post (every image scrolled into view) in a 720-px column, served " +
          "from the media store as the /media route serves them; the originals are the ~5 MB photos as uploaded.",
      ],
    };
  } finally {
    setMediaStorage(undefined);
    await Promise.allSettled([closeMediaRateLimits()]);
    rmSync(mediaDir, { recursive: true, force: true });
  }
}
