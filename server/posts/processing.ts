import { and, eq, fillPlaceholders, ne, sql, type SQL } from "drizzle-orm";
import { PgDialect, type PgColumn } from "drizzle-orm/pg-core";
import { RENDER_ENGINE_VERSION, type RenderedPost } from "../render";
import { db, derivedWritesDb, type Transaction } from "../db";
import { posts, revisions, type PostRow } from "./schema";
import { statusColumns } from "./status-events";

// The worker's writes to the posts schema, and the publishing of what it rendered. They live in the
// posts module, which owns the table; each is one statement or runs in one transaction, and each checks
// the version so a late or duplicate job never overwrites a newer edit.

export type ProcessingTarget = Pick<PostRow, "id" | "authorId" | "version" | "markdown" | "visibility">;

/**
 * Marks the version `processing` and returns what to render, or null when there is nothing to do: the
 * post is gone, a newer version exists, or this version is already `ready`.
 */
export async function beginProcessing(postId: string, version: number): Promise<ProcessingTarget | null> {
  const [row] = await beginProcessingStatement.execute({ postId, version });
  return row ?? null;
}

// The worker's two statements per job are prepared (parsed and planned once per connection, sent in one
// round trip, and built by Drizzle once instead of on every job: building completeProcessing's statement
// cost more CPU than rendering a short post).
const beginProcessingStatement = derivedWritesDb
  .update(posts)
  .set({ status: "processing" })
  .where(and(eq(posts.id, sql.placeholder("postId")), eq(posts.version, sql.placeholder("version")), ne(posts.status, "ready")))
  .returning({
    id: posts.id,
    authorId: posts.authorId,
    version: posts.version,
    markdown: posts.markdown,
    visibility: posts.visibility,
  })
  .prepare("posts_begin_processing");

/** The render engine of renderings made now, as an SQL constant. */
const currentEngine = sql.raw(String(RENDER_ENGINE_VERSION));

/** When the post was first published: kept through republishing, so it is now only the first time. */
const firstPublishedAt = sql`coalesce(${posts.publishedAt}, now())`;

/** A rendering as SQL values: parameters from the worker, or the row's own stored rendering. */
interface RenderingValues {
  html: SQL | PgColumn;
  excerpt: SQL | PgColumn;
  text: SQL | PgColumn;
  toc: SQL | PgColumn;
  wordCount: SQL | PgColumn | number;
  readingTimeMinutes: SQL | PgColumn | number;
}

/**
 * The one list of what going live copies: every live (`published_*`) column, from the working copy's
 * metadata and the given rendering of `version`. In an UPDATE's SET, column references read the row as
 * it was before the statement, which is the working copy being published.
 */
export function liveColumnValues(version: SQL | number, rendering: RenderingValues) {
  return {
    publishedVersion: version,
    publishedTitle: sql`${posts.title}`,
    publishedSlug: sql`${posts.slug}`,
    publishedMarkdown: sql`${posts.markdown}`,
    publishedTags: sql`${posts.tags}`,
    publishedCoverImageUrl: sql`${posts.coverImageUrl}`,
    publishedCoverImageAlt: sql`${posts.coverImageAlt}`,
    publishedCanonicalUrl: sql`${posts.canonicalUrl}`,
    publishedExcerptOverride: sql`${posts.excerptOverride}`,
    publishedHtml: rendering.html,
    publishedExcerpt: rendering.excerpt,
    publishedText: rendering.text,
    publishedToc: rendering.toc,
    publishedWordCount: rendering.wordCount,
    publishedReadingTimeMinutes: rendering.readingTimeMinutes,
    publishedAt: firstPublishedAt,
    publishedUpdatedAt: sql`now()`,
    goingLiveVersion: null,
    goingLiveAt: null,
  } satisfies Partial<Record<keyof PostRow, unknown>>;
}

/** The rendering the row already stores (of `processedVersion`). */
const storedRendering: RenderingValues = {
  html: posts.html,
  excerpt: posts.excerpt,
  text: posts.text,
  toc: posts.toc,
  wordCount: posts.wordCount,
  readingTimeMinutes: posts.readingTimeMinutes,
};

/** Every live column cleared: what unpublishing leaves (the working copy stays for the writer). */
export const noLiveColumns = Object.fromEntries(Object.keys(liveColumnValues(0, storedRendering)).map((key) => [key, null])) as {
  [K in keyof ReturnType<typeof liveColumnValues>]: null;
};

/**
 * What the status announcement needs of a post (see status-events.ts), and what the job did to the public
 * site: `wentLive` when this version went live, `wasLive` when another version was live until then.
 */
export type ProcessedPostStatus = Pick<PostRow, "id" | "authorId" | "version" | "status" | "visibility" | "error"> & { wentLive: boolean; wasLive: boolean };

/**
 * Stores the rendering of `version` and marks it `ready`, in one statement. The UPDATE takes the row
 * lock itself and re-checks `version` against the newest row if a save or a publish commits first, so a
 * stale job changes nothing. Whether this version goes live is decided by the row as it is at that
 * moment (the CASE expressions below: the writer asked for exactly this version, Publish or Update), so
 * a publish racing with processing is never missed, and an autosave of a live post never reaches
 * readers. A version going live is also kept as a revision by the INSERT in the same statement, which
 * takes its rows from the UPDATE's RETURNING (so it sees exactly the row the UPDATE wrote). One
 * statement instead of a transaction: no BEGIN and COMMIT round trips per job. Returns the post's new
 * status, or null if stale.
 */
export async function completeProcessing(postId: string, version: number, rendered: RenderedPost): Promise<ProcessedPostStatus | null> {
  const params = fillPlaceholders(completeProcessingQuery.params, {
    postId,
    version,
    html: rendered.html,
    excerpt: rendered.excerpt,
    text: rendered.text,
    toc: JSON.stringify(rendered.toc),
    wordCount: rendered.wordCount,
    readingTimeMinutes: rendered.readingTimeMinutes,
  });
  const rows = await derivedWritesDb.$client.unsafe<ProcessedPostStatus[]>(completeProcessingQuery.sql, params as never[], { prepare: true });
  return rows[0] ?? null;
}

/** completeProcessing's statement, built once with placeholders for the job's values. */
const completeProcessingQuery = (() => {
  const version = sql.placeholder("version");
  const goesLive = sql`(${posts.visibility} = 'published' and ${posts.goingLiveVersion} = ${version})`;
  const excerpt = sql`coalesce(${posts.excerptOverride}, ${sql.placeholder("excerpt")})`;
  const toc = sql`${sql.placeholder("toc")}::jsonb`;
  const html = sql`${sql.placeholder("html")}`;
  const wordCount = sql`${sql.placeholder("wordCount")}::integer`;
  const readingTimeMinutes = sql`${sql.placeholder("readingTimeMinutes")}::integer`;
  const live = liveColumnValues(sql`${version}::integer`, { html, excerpt, text: sql`${sql.placeholder("text")}`, toc, wordCount, readingTimeMinutes });
  const ifLive = Object.fromEntries(
    Object.entries(live).map(([key, value]) => {
      const column = posts[key as keyof typeof live];
      return [key, sql`case when ${goesLive} then ${value} else ${column} end`];
    }),
  ) as Record<keyof typeof live, SQL>;
  const update = derivedWritesDb
    .update(posts)
    .set({
      status: "ready",
      error: null,
      processedVersion: sql`${version}::integer`,
      html,
      excerpt,
      wordCount,
      readingTimeMinutes,
      text: sql`${sql.placeholder("text")}`,
      toc,
      ...ifLive,
      // Both renderings are this engine's unless an older live one stays (see rerender.ts).
      renderedWith: sql`case when ${goesLive} or ${posts.publishedHtml} is null then ${currentEngine} else least(${posts.renderedWith}, ${currentEngine}) end`,
    })
    .where(and(eq(posts.id, sql.placeholder("postId")), eq(posts.version, version)))
    .returning({
      ...statusColumns,
      title: posts.title,
      markdown: posts.markdown,
      html: posts.html,
      // RETURNING sees the row as written: its live version is this one only if it went live just now
      // (an earlier go-live of this version is impossible, as the version was not rendered before).
      wentLive: sql<boolean>`${posts.publishedVersion} = ${version}`.as("went_live"),
    });
  // The main query sees the table as it was before the statement; the new row is in `updated` (so the
  // subquery reads the live version the post had until now). Only the status fields come back to the
  // worker: the html and Markdown stay in the database.
  return new PgDialect().sqlToQuery(sql`
    with updated as (${update.getSQL()}),
    kept as (
      insert into ${revisions} ("post_id", "version", "title", "markdown", "html")
      select "id", "version", "title", "markdown", "html" from updated where "went_live"
      on conflict do nothing
    )
    select "id", "author_id" as "authorId", "version", "status", "visibility", "error", "went_live" as "wentLive",
      (select ${posts.publishedVersion} is not null from ${posts} where ${posts.id} = updated."id") as "wasLive"
    from updated`);
})();

/** Each version that went live is kept as a revision; publishing the same version again adds nothing. */
async function keepRevision(tx: Transaction, row: Pick<PostRow, "id" | "version" | "title" | "markdown">, html: string): Promise<void> {
  await tx
    .insert(revisions)
    .values({ postId: row.id, version: row.version, title: row.title, markdown: row.markdown, html })
    .onConflictDoNothing();
}

/** Whether the row's current version is rendered and stored with everything publishing it needs. */
export function isRenderedCurrentVersion(row: PostRow): boolean {
  return row.status === "ready" && row.processedVersion === row.version && row.html !== null && row.text !== null;
}

/**
 * Makes the current version live from its stored rendering, in the caller's transaction, with the row
 * locked and `isRenderedCurrentVersion` true: the same live columns `completeProcessing` writes, copied
 * inside PostgreSQL (the html never travels to the server and back). Keeps the revision.
 */
export async function publishRenderedVersion(tx: Transaction, current: PostRow): Promise<PostRow> {
  const [row] = await tx
    .update(posts)
    .set({
      visibility: "published",
      scheduledAt: null,
      ...liveColumnValues(current.version, storedRendering),
    })
    .where(and(eq(posts.id, current.id), eq(posts.version, current.version), eq(posts.processedVersion, current.version)))
    .returning();
  if (!row?.html) throw new Error(`post ${current.id} changed while locked for publishing`);
  await keepRevision(tx, row, row.html);
  return row;
}

/**
 * Records a failed attempt. Between retries the post goes back to `queued` with the reason; after the
 * last attempt it is `failed`. Returns the row, or null if the version is stale.
 */
export async function recordProcessingFailure(
  postId: string,
  version: number,
  reason: string,
  final: boolean,
): Promise<PostRow | null> {
  const [row] = await db
    .update(posts)
    .set({ status: final ? "failed" : "queued", error: reason.slice(0, 1_000) })
    .where(and(eq(posts.id, postId), eq(posts.version, version), ne(posts.status, "ready")))
    .returning();
  return row ?? null;
}
