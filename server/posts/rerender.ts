import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import { db } from "../db";
import { RENDER_ENGINE_VERSION, type RenderedPost } from "../render";
import { posts, revisions } from "./schema";

// Existing posts after a change of render engine: the renderings readers can see (the published
// version) and the one the writer's next publish copies (the processed current version) are made again
// with the current engine. Batched by id, one short UPDATE per post, each checking that the post did
// not change while it was rendered (a save or publish in between wins, and its own processing uses the
// current engine). Idempotent: a post is done once `rendered_with` is the current engine.

export type Render = (markdown: string) => Promise<RenderedPost>;

export interface RerenderBatch {
  /** Posts whose renderings were made again. */
  rerendered: number;
  /** Posts left as they were: changed meanwhile, or their text now fails to render (kept, retried next time). */
  skipped: number;
  /** The last post id looked at; null when there was none (the walk is over). */
  lastId: string | null;
}

/** Re-renders up to `batchSize` posts of an older engine with ids after `afterId`. */
export async function rerenderBatch(render: Render, afterId: string | null, batchSize: number, onSkip?: (postId: string, err: unknown) => void): Promise<RerenderBatch> {
  const rows = await db
    .select({
      id: posts.id,
      version: posts.version,
      markdown: posts.markdown,
      processedVersion: posts.processedVersion,
      hasHtml: sql<boolean>`${posts.html} is not null`,
      publishedVersion: posts.publishedVersion,
      hasPublishedHtml: sql<boolean>`${posts.publishedHtml} is not null`,
    })
    .from(posts)
    .where(and(lt(posts.renderedWith, RENDER_ENGINE_VERSION), afterId ? gt(posts.id, afterId) : undefined))
    .orderBy(asc(posts.id))
    .limit(batchSize);

  let rerendered = 0;
  for (const row of rows) {
    try {
      if (await rerenderPost(render, row)) rerendered++;
      else onSkip?.(row.id, null);
    } catch (err) {
      onSkip?.(row.id, err);
    }
  }
  return { rerendered, skipped: rows.length - rerendered, lastId: rows.at(-1)?.id ?? null };
}

type Row = { id: string; version: number; markdown: string; processedVersion: number | null; hasHtml: boolean; publishedVersion: number | null; hasPublishedHtml: boolean };

async function rerenderPost(render: Render, row: Row): Promise<boolean> {
  let published: RenderedPost | null = null;
  if (row.hasPublishedHtml && row.publishedVersion !== null) {
    // The published version's text: the current one, or its revision when a newer edit exists (every
    // published version is kept as a revision; without one there is nothing to render it from).
    const markdown =
      row.publishedVersion === row.version
        ? row.markdown
        : (await db.select({ markdown: revisions.markdown }).from(revisions).where(and(eq(revisions.postId, row.id), eq(revisions.version, row.publishedVersion))))[0]?.markdown;
    if (markdown !== undefined) published = await render(markdown);
  }
  // `html` is the processed version's: the current text, or the published version's while a newer edit
  // waits for processing (which will render it with the current engine).
  let current: RenderedPost | null = null;
  if (row.hasHtml && row.processedVersion === row.publishedVersion) current = published;
  else if (row.hasHtml && row.processedVersion === row.version) current = await render(row.markdown);
  const excerptOf = (rendered: RenderedPost) => sql`coalesce(${posts.excerptOverride}, ${rendered.excerpt})`;
  const updated = await db
    .update(posts)
    .set({
      renderedWith: RENDER_ENGINE_VERSION,
      ...(current && {
        html: current.html,
        text: current.text,
        toc: current.toc,
        excerpt: excerptOf(current),
        wordCount: current.wordCount,
        readingTimeMinutes: current.readingTimeMinutes,
      }),
      ...(published && {
        publishedHtml: published.html,
        publishedText: published.text,
        publishedToc: published.toc,
        publishedExcerpt: excerptOf(published),
        publishedWordCount: published.wordCount,
        publishedReadingTimeMinutes: published.readingTimeMinutes,
      }),
    })
    .where(
      and(
        eq(posts.id, row.id),
        eq(posts.version, row.version),
        sql`${posts.processedVersion} is not distinct from ${row.processedVersion}`,
        sql`${posts.publishedVersion} is not distinct from ${row.publishedVersion}`,
      ),
    )
    .returning({ id: posts.id });
  return updated.length > 0;
}
