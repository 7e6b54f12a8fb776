import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getVariant } from "@/app/media/[hash]/[file]/route";
import { env } from "@/server/env.js";
import { createS3Storage, incomingKey, readObject, setMediaStorage, type MediaStorage } from "@/server/media/storage";
import { fetchRemoteImage } from "@/server/media/remote-copy";
import { acceptUpload } from "@/server/media/upload";
import { createMediaWorker, type MediaWorker } from "@/worker/media-worker";
import { phoneJpeg, transparentPng } from "../fixtures/images";
import { eventually, newWriter, startWorkerForFile } from "./helpers";

// The S3 path against a real S3-compatible server (s3rver, from npm) on this machine, and remote copies
// against real HTTP servers on loopback.

const BUCKET = "inkwell-media-test";
let s3rver: S3rver;
let s3Dir: string;
let storage: MediaStorage;
let mediaWorker: MediaWorker;

startWorkerForFile();
beforeAll(async () => {
  s3Dir = mkdtempSync(path.join(tmpdir(), "inkwell-s3rver-"));
  s3rver = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: s3Dir, configureBuckets: [{ name: BUCKET }] });
  const { port } = await s3rver.run();
  storage = createS3Storage({
    bucket: BUCKET,
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    // s3rver's fixed development credentials.
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  setMediaStorage(storage);
  mediaWorker = createMediaWorker({ collectEveryMs: 0, sweepIntervalMs: 0 });
  await mediaWorker.worker.waitUntilReady();
});
afterAll(async () => {
  await mediaWorker?.close();
  setMediaStorage(undefined);
  await s3rver?.close();
  rmSync(s3Dir, { recursive: true, force: true });
});

describe("S3 storage", () => {
  it("stores an upload's original and variants in the bucket, and the route serves them with our type and a year's cache", async () => {
    const writer = await newWriter("S3");
    const bytes = await phoneJpeg(400, 300, 11);
    const uploaded = await acceptUpload(writer.profile.id, new Blob([new Uint8Array(bytes)]).stream(), bytes.length);
    const image = await eventually(() => writer.api.media.byId({ id: uploaded.id }), (i) => i.status === "ready" || i.status === "failed", 60_000);
    expect(image.status).toBe("ready");
    expect(await readObject(storage, `originals/${image.contentHash}`)).toEqual(bytes);
    const response = await getVariant(new Request("http://test/"), { params: Promise.resolve({ hash: image.contentHash!, file: "300.webp" }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/webp");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(Buffer.from(await response.arrayBuffer()).subarray(8, 12).toString("ascii")).toBe("WEBP");
  });

  it("signs a browser upload whose policy fixes the size range and the content type", async () => {
    const key = incomingKey("00000000-0000-4000-8000-000000000000", "upload-1");
    const post = await storage.presignedPost!(key, env.MEDIA_MAX_UPLOAD_BYTES);
    const policy = JSON.parse(Buffer.from(post.fields.Policy!, "base64").toString("utf8")) as { conditions: unknown[] };
    expect(policy.conditions).toContainEqual(["content-length-range", 1, env.MEDIA_MAX_UPLOAD_BYTES]);
    expect(policy.conditions).toContainEqual(["eq", "$Content-Type", "application/octet-stream"]);
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    const bytes = await transparentPng(30, 30);
    form.append("file", new Blob([new Uint8Array(bytes)]));
    const response = await fetch(post.url, { method: "POST", body: form });
    expect(response.status).toBeLessThan(300);
    expect(await readObject(storage, key)).toEqual(bytes);
    await storage.remove([key]);
    expect(await storage.exists(key)).toBe(false);
  });
});

describe("remote copies", () => {
  let server: http.Server;
  let base: string;
  let png: Buffer;
  const options = (allowedRanges: string[] = ["127.0.0.0/8"]) => ({ allowedRanges, timeoutMs: 2_000, maxBytes: 100_000 });

  beforeAll(async () => {
    png = await transparentPng(64, 64);
    server = http.createServer((req, res) => {
      if (req.url === "/picture.png") res.writeHead(200, { "content-type": "image/png" }).end(png);
      else if (req.url === "/to-metadata") res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      else if (req.url === "/to-private") res.writeHead(302, { location: "http://10.0.0.1/x.png" }).end();
      else if (req.url === "/to-picture") res.writeHead(301, { location: "/picture.png" }).end();
      else if (req.url === "/huge") res.writeHead(200).end(Buffer.alloc(200_000));
      else if (req.url === "/slow") setTimeout(() => res.writeHead(200).end(png), 5_000).unref();
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("copies from an allowed address, following a redirect", async () => {
    expect(await fetchRemoteImage(`${base}/to-picture`, options())).toEqual(png);
  });

  it("refuses loopback, private and link-local addresses unless their range is allowed, by name too", async () => {
    await expect(fetchRemoteImage(`${base}/picture.png`, options([]))).rejects.toThrow(/not on the public internet/);
    await expect(fetchRemoteImage(`http://localhost:${new URL(base).port}/picture.png`, options([]))).rejects.toThrow(/not on the public internet/);
    await expect(fetchRemoteImage("http://[::1]/x.png", options([]))).rejects.toThrow(/not on the public internet/);
    await expect(fetchRemoteImage("http://[::ffff:127.0.0.1]/x.png", options([]))).rejects.toThrow(/not on the public internet/);
    await expect(fetchRemoteImage("http://169.254.169.254/latest/meta-data/", options([]))).rejects.toThrow(/not on the public internet/);
    await expect(fetchRemoteImage("http://192.168.1.1/x.png", options([]))).rejects.toThrow(/not on the public internet/);
  });

  it("checks every redirect again", async () => {
    await expect(fetchRemoteImage(`${base}/to-metadata`, options())).rejects.toThrow(/169\.254\.169\.254 is not on the public internet/);
    await expect(fetchRemoteImage(`${base}/to-private`, options())).rejects.toThrow(/10\.0\.0\.1 is not on the public internet/);
  });

  it("refuses other schemes, oversized bodies and slow servers", async () => {
    await expect(fetchRemoteImage("file:///etc/passwd", options())).rejects.toThrow(/Only http and https/);
    await expect(fetchRemoteImage("gopher://127.0.0.1/x", options())).rejects.toThrow(/Only http and https/);
    await expect(fetchRemoteImage(`${base}/huge`, options())).rejects.toThrow(/larger than the limit/);
    await expect(fetchRemoteImage(`${base}/slow`, { ...options(), timeoutMs: 300 })).rejects.toThrow(/took too long/);
  });

  it("copies into the writer's library through the worker, and says why a refused address failed", async () => {
    const writer = await newWriter("Remote");
    const previous = env.MEDIA_REMOTE_ALLOWED_RANGES;
    env.MEDIA_REMOTE_ALLOWED_RANGES = ["127.0.0.0/8"];
    try {
      const queued = await writer.api.media.copyRemote({ url: `${base}/picture.png` });
      expect(queued.status).toBe("fetching");
      const copied = await eventually(() => writer.api.media.byId({ id: queued.id }), (i) => i.status === "ready" || i.status === "failed", 60_000);
      expect(copied).toMatchObject({ status: "ready", width: 64, height: 64, sourceUrl: `${base}/picture.png` });
      const refused = await writer.api.media.copyRemote({ url: `${base}/to-metadata` });
      const failed = await eventually(() => writer.api.media.byId({ id: refused.id }), (i) => i.status === "failed");
      expect(failed.error).toMatch(/not on the public internet/);
    } finally {
      env.MEDIA_REMOTE_ALLOWED_RANGES = previous;
    }
  });
});
