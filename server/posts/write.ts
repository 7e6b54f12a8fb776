import { and, eq, like, ne, or, sql } from "drizzle-orm";
import type { z } from "zod";
import type { postCreateSchema, postUpdateSchema } from "@/lib/validations/post";
import { db, type Transaction as Tx } from "../db";
import { isUniqueViolation } from "../db/errors";
import { AppError } from "../errors";
import { dispatch } from "./dispatch";
import { postNotFound, savedPostColumnsButMarkdown, toOwnPost, toSavedPost, type OwnPost, type SavedPost } from "./dto";
import { getOwnPost, getRevision } from "./own-reads";
import { posts, slugRedirects, type PostRow } from "./schema";
import { firstFreeSlug, isGeneratedSlug, slugForTitle } from "./slug";
import { announcePost, statusColumns } from "./status-events";

// The writer's edits of the working copy: create, save (autosave), restore a revision, delete, retry.
// Each save writes a new `version` with `status = queued`, then hands it to the worker (dispatch.ts).

/**
 * A slug is the writer's if no other of their posts has it, as its working copy's slug or as its live
 * address: a live post renamed in its working copy keeps its old address until Update.
 */
function slugTakenBy(authorId: string, slug: string) {
  return and(eq(posts.authorId, authorId), or(eq(posts.slug, slug), eq(posts.publishedSlug, slug)));
}

async function freeSlug(tx: Tx, authorId: string, title: string, exceptPostId?: string): Promise<string> {
  const base = slugForTitle(title);
  const rows = await tx
    .select({ id: posts.id, slug: posts.slug, publishedSlug: posts.publishedSlug })
    .from(posts)
    .where(and(eq(posts.authorId, authorId), or(like(posts.slug, `${base}%`), like(posts.publishedSlug, `${base}%`))));
  const taken = rows.filter((r) => r.id !== exceptPostId).flatMap((r) => [r.slug, r.publishedSlug ?? r.slug]);
  return firstFreeSlug(base, new Set(taken));
}

/** Two saves racing for one slug: the loser retries with the next free one. */
async function withSlugRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 3) throw err;
    }
  }
}

/** The writer's post, locked for this transaction; NOT_FOUND if it is not theirs. */
export async function lockOwnPost(tx: Tx, authorId: string, id: string): Promise<PostRow> {
  const [row] = await tx
    .select()
    .from(posts)
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId)))
    .for("update");
  if (!row) throw postNotFound();
  return row;
}

export async function createPost(authorId: string, input: z.output<typeof postCreateSchema>): Promise<OwnPost> {
  const row = await withSlugRetry(() =>
    db.transaction(async (tx) => {
      const slug = await freeSlug(tx, authorId, input.title);
      const [inserted] = await tx
        .insert(posts)
        .values({ authorId, title: input.title, slug, markdown: input.markdown, status: "queued" })
        .returning();
      if (!inserted) throw new Error("insert returned no row");
      return inserted;
    }),
  );
  await dispatch(row, "save", { newVersion: true });
  return toOwnPost(row);
}

/** Fields an edit may change; each is stored as given (already normalised by the input schema). */
type Edit = z.output<typeof postUpdateSchema>;

/**
 * The columns editedFields must write: one per input of the update schema (the slug has its own rules,
 * nextSlug; the `excerpt` input is the `excerptOverride` column). A new input is a compile error there
 * until it is stored.
 */
type EditedColumn = Exclude<keyof Edit, "id" | "version" | "slug" | "excerpt"> | "excerptOverride";

/**
 * The working-copy columns an edit writes, from the input (or the row where the input leaves one out).
 * Typed against the table's row, so a new editable column that is missing here or mistyped is a
 * compile error. The input's `excerpt` is the writer's own excerpt: it is stored as `excerptOverride`
 * (the computed `excerpt` column stays the worker's).
 */
function editedFields(current: PostRow, input: Edit) {
  return {
    title: input.title ?? current.title,
    markdown: input.markdown ?? current.markdown,
    tags: input.tags ?? current.tags,
    coverImageUrl: input.coverImageUrl !== undefined ? input.coverImageUrl : current.coverImageUrl,
    coverImageAlt: input.coverImageAlt !== undefined ? input.coverImageAlt : current.coverImageAlt,
    canonicalUrl: input.canonicalUrl !== undefined ? input.canonicalUrl : current.canonicalUrl,
    excerptOverride: input.excerpt !== undefined ? input.excerpt : current.excerptOverride,
  } satisfies Pick<PostRow, EditedColumn>;
}

/** Whether the edit leaves every field as it is (tags compared as a list, the rest as values). */
function sameFields(current: PostRow, next: ReturnType<typeof editedFields>): boolean {
  return (Object.keys(next) as (keyof typeof next)[]).every((key) => {
    const [was, now] = [current[key], next[key]];
    return Array.isArray(was) && Array.isArray(now) ? was.join(",") === now.join(",") : was === now;
  });
}

async function nextSlug(tx: Tx, current: PostRow, input: Edit, title: string): Promise<string> {
  if (input.slug !== undefined && input.slug !== current.slug) {
    const [taken] = await tx
      .select({ id: posts.id })
      .from(posts)
      .where(and(slugTakenBy(current.authorId, input.slug), ne(posts.id, current.id)));
    if (taken) throw new AppError("CONFLICT", "Another of your posts already uses that slug.", { field: "slug" });
    return input.slug;
  }
  // An untouched (generated) slug follows the title while the post is a draft that was never public.
  const generated = isGeneratedSlug(current.slug, current.title);
  if (input.slug === undefined && current.visibility === "draft" && current.publishedAt === null && generated && title !== current.title) {
    return freeSlug(tx, current.authorId, title, current.id);
  }
  return current.slug;
}

/**
 * updateTextOnly's UPDATE as a prepared statement. Drizzle sends other queries unnamed, and postgres.js
 * then waits for the server to describe the parameters before it sends them (two round trips, and a
 * parse and plan on every call); this one is parsed and planned once per connection and runs in one
 * round trip. It is what every autosave runs.
 */
const updateTextOnlyStatement = db
  .update(posts)
  .set({
    markdown: sql`${sql.placeholder("markdown")}`,
    version: sql`${posts.version} + 1`,
    status: "queued",
    error: null,
    updatedAt: sql`${sql.placeholder("now")}::timestamptz`,
    queuedAt: sql`${sql.placeholder("now")}::timestamptz`,
  })
  .where(
    and(
      eq(posts.id, sql.placeholder("id")),
      eq(posts.authorId, sql.placeholder("authorId")),
      eq(posts.version, sql.placeholder("version")),
      ne(posts.markdown, sql.placeholder("markdown")),
    ),
  )
  .returning(savedPostColumnsButMarkdown)
  .prepare("posts_update_text_only");

/**
 * The autosave fast path: an edit of the text alone, as one compare-and-set UPDATE (no transaction,
 * one round trip instead of four). It applies only when the row is at the expected version and the
 * text really changed; null means "not applied here" (stale, missing, not the writer's, unchanged),
 * and the caller takes the locking path, which tells those cases apart. The text touches neither the
 * slug nor the redirects, so nothing else in the locking path applies to it.
 */
async function updateTextOnly(authorId: string, input: Edit & { markdown: string }): Promise<SavedPost | null> {
  const [row] = await updateTextOnlyStatement.execute({
    id: input.id,
    authorId,
    version: input.version,
    markdown: input.markdown,
    // A string, not a Date: placeholders skip the column's own conversion.
    now: new Date().toISOString(),
  });
  if (!row) return null;
  await dispatch(row, "save", { newVersion: true });
  return toSavedPost({ ...row, markdown: input.markdown });
}

/** Only `markdown` (besides id and version) was sent: what the editor's autosave sends while typing. */
function isTextOnly(input: Edit): input is Edit & { markdown: string } {
  return (
    input.markdown !== undefined &&
    (Object.keys(input) as (keyof Edit)[]).every((key) => key === "id" || key === "version" || key === "markdown" || input[key] === undefined)
  );
}

export async function updatePost(authorId: string, input: Edit): Promise<SavedPost> {
  if (isTextOnly(input)) {
    const saved = await updateTextOnly(authorId, input);
    if (saved) return saved;
  }
  const result = await withSlugRetry(() =>
    db.transaction(async (tx) => {
      const current = await lockOwnPost(tx, authorId, input.id);
      if (current.version !== input.version) {
        throw new AppError(
          "CONFLICT",
          `This post was changed elsewhere (now version ${current.version}, your edit is based on version ${input.version}).`,
        );
      }
      const fields = editedFields(current, input);
      const slug = await nextSlug(tx, current, input, fields.title);
      if (sameFields(current, fields) && slug === current.slug) return { row: current, changed: false };

      if (slug !== current.slug) await rememberOldSlug(tx, current, slug);
      const now = new Date();
      const [updated] = await tx
        .update(posts)
        .set({ ...fields, slug, version: current.version + 1, status: "queued", error: null, updatedAt: now, queuedAt: now })
        .where(eq(posts.id, current.id))
        .returning();
      if (!updated) throw postNotFound();
      return { row: updated, changed: true };
    }),
  );
  if (result.changed) await dispatch(result.row, "save", { newVersion: true });
  return toSavedPost(result.row);
}

/** A post that was ever public keeps answering at its old slug (301 to the new one). */
async function rememberOldSlug(tx: Tx, current: PostRow, newSlug: string): Promise<void> {
  // The new slug is this post's now: a redirect from it to anywhere would shadow nothing, so drop it.
  await tx.delete(slugRedirects).where(and(eq(slugRedirects.authorId, current.authorId), eq(slugRedirects.slug, newSlug)));
  if (current.publishedAt === null && current.visibility === "draft") return;
  await tx
    .insert(slugRedirects)
    .values({ authorId: current.authorId, slug: current.slug, postId: current.id })
    .onConflictDoUpdate({ target: [slugRedirects.authorId, slugRedirects.slug], set: { postId: current.id, createdAt: new Date() } });
}

/** Brings back a revision's title and text as a new version (an ordinary edit, so it can be undone). */
export async function restoreRevision(authorId: string, input: { id: string; revision: number; version: number }): Promise<SavedPost> {
  const revision = await getRevision(authorId, input.id, input.revision);
  return updatePost(authorId, { id: input.id, version: input.version, title: revision.title, markdown: revision.markdown });
}

export async function deletePost(authorId: string, id: string): Promise<{ id: string }> {
  const [deleted] = await db
    .delete(posts)
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId)))
    .returning(statusColumns);
  if (!deleted) throw postNotFound();
  // Readers' cached pages must drop a post that was public. A pending job finds no row and ends.
  if (deleted.visibility === "published") await announcePost({ ...deleted, visibility: "draft" }, { readers: "removed" });
  return { id };
}

/** Re-runs processing of the current version after a failure. */
export async function retryPost(authorId: string, id: string): Promise<OwnPost> {
  const [row] = await db
    .update(posts)
    .set({ status: "queued", error: null, queuedAt: new Date() })
    .where(and(eq(posts.id, id), eq(posts.authorId, authorId), eq(posts.status, "failed")))
    .returning();
  if (!row) return getOwnPost(authorId, id); // not failed (or not yours): nothing to retry
  await dispatch(row);
  return toOwnPost(row);
}
