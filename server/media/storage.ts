import { createReadStream } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Readable } from "node:stream";
import { randomUUID } from "node:crypto";
import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost, type PresignedPost } from "@aws-sdk/s3-presigned-post";
import { env } from "../env.js";

// Where image bytes live, behind one interface: a local folder (development, single machine) or S3.
// Keys are content addressed (`originals/<sha256>`, `variants/<sha256>/<width>.<ext>`), so an object is
// never overwritten with different bytes and can be cached forever. Free of Next imports (the worker uses it).

export interface StoredObject {
  body: Readable;
  size: number;
}

export interface MediaStorage {
  readonly kind: "local" | "s3";
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The object, or null when there is none. */
  get(key: string): Promise<StoredObject | null>;
  exists(key: string): Promise<boolean>;
  /** Deletes the objects; missing ones are fine. */
  remove(keys: string[]): Promise<void>;
  /**
   * S3 only: a browser upload straight to the bucket under `key`, its policy fixing the size range and a
   * content type the uploader cannot choose (the bytes are typed by the worker, never by the browser).
   */
  presignedPost?(key: string, maxBytes: number): Promise<PresignedPost>;
}

const KEY_PATTERN = /^(?:originals|variants|incoming)\/[0-9a-z/._-]+$/;

function checkKey(key: string): string {
  if (!KEY_PATTERN.test(key) || key.includes("..")) throw new Error(`invalid storage key ${key}`);
  return key;
}

export function createLocalStorage(root: string): MediaStorage {
  const dir = path.resolve(root);
  const fileOf = (key: string) => path.join(dir, checkKey(key));
  return {
    kind: "local",
    async put(key, body) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Written aside and renamed: a reader never sees half an object.
      const partial = `${file}.${randomUUID()}.partial`;
      await writeFile(partial, body);
      await rename(partial, file);
    },
    async get(key) {
      const file = fileOf(key);
      try {
        const { size } = await stat(file);
        return { body: createReadStream(file), size };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw err;
      }
    },
    async exists(key) {
      return stat(fileOf(key)).then(
        () => true,
        () => false,
      );
    },
    async remove(keys) {
      await Promise.all(keys.map((key) => rm(fileOf(key), { force: true })));
    },
  };
}

export interface S3StorageConfig {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function createS3Storage(config: S3StorageConfig): MediaStorage {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
  });
  const Bucket = config.bucket;
  return {
    kind: "s3",
    async put(key, body, contentType) {
      await client.send(
        new PutObjectCommand({ Bucket, Key: checkKey(key), Body: body, ContentType: contentType, CacheControl: "public, max-age=31536000, immutable" }),
      );
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: checkKey(key) }));
        if (!out.Body) return null;
        return { body: out.Body as Readable, size: out.ContentLength ?? 0 };
      } catch (err) {
        if (err instanceof NoSuchKey || (err as { name?: string }).name === "NoSuchKey") return null;
        throw err;
      }
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: checkKey(key) }));
        return true;
      } catch (err) {
        if (err instanceof NotFound || (err as { name?: string }).name === "NotFound") return false;
        throw err;
      }
    },
    async remove(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000).map((key) => ({ Key: checkKey(key) }));
        if (batch.length > 0) await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: batch, Quiet: true } }));
      }
    },
    async presignedPost(key, maxBytes) {
      return createPresignedPost(client, {
        Bucket,
        Key: checkKey(key),
        Conditions: [
          ["content-length-range", 1, maxBytes],
          ["eq", "$Content-Type", "application/octet-stream"],
        ],
        Fields: { "Content-Type": "application/octet-stream" },
        Expires: 600,
      });
    },
  };
}

/** Reads a whole object (originals are at most MEDIA_MAX_UPLOAD_BYTES). */
export async function readObject(storage: MediaStorage, key: string): Promise<Buffer | null> {
  const object = await storage.get(key);
  if (!object) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const globalForStorage = globalThis as unknown as { inkwellMediaStorage?: MediaStorage };

/** The configured storage (MEDIA_STORAGE), made on first use. */
export function mediaStorage(): MediaStorage {
  if (!globalForStorage.inkwellMediaStorage) {
    globalForStorage.inkwellMediaStorage =
      env.MEDIA_STORAGE === "s3"
        ? createS3Storage({ bucket: env.S3_BUCKET ?? "", region: env.S3_REGION, endpoint: env.S3_ENDPOINT, forcePathStyle: env.S3_FORCE_PATH_STYLE })
        : createLocalStorage(env.MEDIA_LOCAL_DIR);
  }
  return globalForStorage.inkwellMediaStorage;
}

/** Tests and benchmarks: run the media module on another storage (an S3-compatible test server). */
export function setMediaStorage(storage: MediaStorage | undefined): void {
  globalForStorage.inkwellMediaStorage = storage;
}

export const originalKey = (hash: string) => `originals/${hash}`;
export const variantKey = (hash: string, width: number, ext: string) => `variants/${hash}/${width}.${ext}`;
export const incomingKey = (ownerId: string, uploadId: string) => `incoming/${ownerId}/${uploadId}`;
