import { randomUUID } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Readable, Transform } from "node:stream";
import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import { uploadTooLargeMessage } from "@/lib/validations/portability";
import { db } from "../db";
import { env } from "../env.js";
import { enqueue } from "../jobs/queues";
import { dispatchImportedPosts, insertImportedPosts } from "../posts/import-post";
import type { PostRow } from "../posts/schema";
import { ArchiveRefused } from "./archive-refused";
import { preparePost } from "./prepare-post";
import { readArchive } from "./read-archive";
import { importedPosts, imports, type ImportRow, type ImportSummary } from "./schema";
import { archiveStorage, importKeyFor } from "./storage";
import { AppError } from "../errors";

// Import, in three steps: the upload is stored and analysed by the worker (the dry run: nothing is
// created, the summary is shown); the writer confirms; the worker imports a batch of posts at a time.
// Every post is created in the same transaction as its import key, so re-importing an archive, or
// resuming an import a worker crash interrupted, skips what is there and never makes a second copy.

const UPLOAD_TOO_LARGE = () => uploadTooLargeMessage(env.IMPORT_MAX_BYTES);

export class UploadTooLarge extends Error {}

/** The refusal of an upload whose declared size (Content-Length) is over the limit, before reading it. */
export function declaredSizeRefusal(contentLength: string | null): string | null {
  const declared = Number(contentLength ?? "NaN");
  return Number.isFinite(declared) && declared > env.IMPORT_MAX_BYTES ? UPLOAD_TOO_LARGE() : null;
}

/** Counts bytes as they stream and stops the upload the moment it passes the limit. */
function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > limit ? new UploadTooLarge(UPLOAD_TOO_LARGE()) : null, chunk);
    },
  });
}

/** Stores an upload and queues its dry run. The caller has refused a declared size over the limit. */
export async function createImport(userId: string, fileName: string, body: ReadableStream<Uint8Array>): Promise<ImportRow> {
  const id = randomUUID();
  const storageKey = importKeyFor(id);
  try {
    await pipeline(Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>), byteLimit(env.IMPORT_MAX_BYTES), await archiveStorage.writer(storageKey));
  } catch (err) {
    await archiveStorage.remove(storageKey);
    throw err;
  }
  const [row] = await db.insert(imports).values({ id, userId, fileName: fileName.slice(0, 200) || "upload", storageKey }).returning();
  if (!row) throw new Error("insert returned no row");
  await enqueue("analyse-import", { importId: id });
  return row;
}

/** Removes the refused archive, then says so: once the writer sees "failed", the file is gone. */
async function fail(importId: string, storageKey: string, message: string): Promise<void> {
  await archiveStorage.remove(storageKey);
  await db.update(imports).set({ state: "failed", error: message, updatedAt: new Date() }).where(eq(imports.id, importId));
}

async function existingKeys(userId: string, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await db
      .select({ key: importedPosts.importKey })
      .from(importedPosts)
      .where(and(eq(importedPosts.userId, userId), inArray(importedPosts.importKey, keys.slice(i, i + 1000))));
    for (const row of rows) found.add(row.key);
  }
  return found;
}

/** The dry run (worker): reads and converts every post, counts, creates nothing. */
export async function analyseImport(importId: string): Promise<string> {
  const [row] = await db.select().from(imports).where(eq(imports.id, importId));
  if (!row || row.state !== "analysing") return "skipped";
  try {
    const archive = await readArchive(archiveStorage.localPath(row.storageKey));
    const done = await existingKeys(row.userId, archive.posts.map((p) => p.key));
    const summary: ImportSummary = { posts: 0, drafts: 0, scheduled: 0, published: 0, skipped: archive.skipped, postsWithDroppedEmbeds: 0, alreadyImported: 0, notes: [...archive.notes] };
    for (const post of archive.posts) {
      const prepared = preparePost(post);
      if (!prepared.ok) {
        summary.skipped += 1;
        summary.notes.push(prepared.reason);
        continue;
      }
      summary.posts += 1;
      if (done.has(post.key)) summary.alreadyImported += 1;
      summary[prepared.fields.visibility === "draft" ? "drafts" : prepared.fields.visibility === "scheduled" ? "scheduled" : "published"] += 1;
      if (prepared.droppedEmbeds > 0) summary.postsWithDroppedEmbeds += 1;
    }
    if (summary.posts === 0) throw new ArchiveRefused("The archive holds no posts to import.");
    await db.update(imports).set({ state: "analysed", source: archive.source, summary, updatedAt: new Date() }).where(eq(imports.id, importId));
    return "analysed";
  } catch (err) {
    if (!(err instanceof ArchiveRefused)) throw err;
    await fail(importId, row.storageKey, err.message);
    return "refused";
  }
}

/** The writer confirms the dry run: the worker imports. */
export async function startImport(userId: string, importId: string): Promise<ImportRow> {
  const [row] = await db
    .update(imports)
    .set({ state: "importing", updatedAt: new Date() })
    .where(and(eq(imports.id, importId), eq(imports.userId, userId), eq(imports.state, "analysed")))
    .returning();
  if (!row) {
    const current = await getImport(userId, importId);
    if (current.state === "importing" || current.state === "done") return current;
    throw new AppError("INVALID", "This import cannot be started: its archive was refused or is still being read.");
  }
  await enqueue("run-import", { importId });
  return row;
}

/** Posts converted and inserted per transaction (and enqueued together once it commits). */
const IMPORT_BATCH = 50;

export interface RunImportOptions {
  batchSize?: number;
  /** Called after each batch commits; tests use it to stop an import halfway, as a crash would. */
  afterBatch?: (handled: number) => void | Promise<void>;
}

/**
 * Imports (worker), a batch at a time: each batch's posts are inserted with their import keys in one
 * transaction, so a crash leaves whole batches; a rerun skips every key already there (and a key twice
 * in the archive is imported once).
 */
export async function runImport(importId: string, options: RunImportOptions = {}): Promise<string> {
  const [row] = await db.select().from(imports).where(eq(imports.id, importId));
  if (!row || row.state !== "importing") return "skipped";
  const archive = await readArchive(archiveStorage.localPath(row.storageKey));
  const batchSize = options.batchSize ?? IMPORT_BATCH;
  let processed = 0;
  for (let start = 0; start < archive.posts.length; start += batchSize) {
    const batch = archive.posts.slice(start, start + batchSize).flatMap((post) => {
      const prepared = preparePost(post);
      return prepared.ok ? [{ key: post.key, id: randomUUID(), fields: prepared.fields }] : [];
    });
    if (batch.length === 0) continue;
    const created = await db.transaction(async (tx): Promise<PostRow[]> => {
      const claimed = await tx
        .insert(importedPosts)
        .values(batch.map((item) => ({ userId: row.userId, importKey: item.key, postId: item.id, importId })))
        .onConflictDoNothing()
        .returning({ postId: importedPosts.postId });
      const claimedIds = new Set(claimed.map((c) => c.postId));
      return insertImportedPosts(tx, row.userId, batch.filter((item) => claimedIds.has(item.id)));
    });
    await dispatchImportedPosts(created);
    processed += batch.length;
    await db
      .update(imports)
      .set({ processed, imported: sql`${imports.imported} + ${created.length}`, updatedAt: new Date() })
      .where(eq(imports.id, importId));
    await options.afterBatch?.(processed);
  }
  // Counted from the keys, so posts of a run a crash cut short (before it reported them) are included.
  const [counted] = await db.select({ imported: count() }).from(importedPosts).where(eq(importedPosts.importId, importId));
  await db.update(imports).set({ state: "done", processed, imported: counted?.imported ?? 0, updatedAt: new Date() }).where(eq(imports.id, importId));
  await archiveStorage.remove(row.storageKey);
  return "done";
}

/** The last attempt of a job failed for a reason that is not the archive's: tell the writer. */
export async function markImportFailed(importId: string, message: string): Promise<void> {
  const [row] = await db.select({ storageKey: imports.storageKey }).from(imports).where(eq(imports.id, importId));
  if (row) await fail(importId, row.storageKey, message);
}

export async function getImport(userId: string, importId: string): Promise<ImportRow> {
  const [row] = await db.select().from(imports).where(and(eq(imports.id, importId), eq(imports.userId, userId)));
  if (!row) throw new AppError("NOT_FOUND", "Import not found.");
  return row;
}

export async function listImports(userId: string): Promise<ImportRow[]> {
  return db.select().from(imports).where(eq(imports.userId, userId)).orderBy(desc(imports.createdAt)).limit(10);
}
