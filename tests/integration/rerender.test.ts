import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { processPost } from "@/server/posts/process-post";
import { rerenderBatch, type Render } from "@/server/posts/rerender";
import { posts } from "@/server/posts/schema";
import { RENDER_ENGINE_VERSION, renderMarkdown } from "@/server/render";
import { renderInThread } from "@/server/render/pool";
import { anonymous, closeConnections, newWriter } from "./helpers";

// After a change of render engine, the worker's rerender-posts job renders stored posts again: what
// readers see (the published version, from its revision when a newer edit exists) and the processed
// current version, batch by batch, leaving alone a post that changed while it was rendered.

afterAll(async () => {
  await closeConnections();
});

/** Runs the walk to its end, as the job does; returns the totals. */
async function rerenderAll(render: Render, batchSize = 2): Promise<{ rerendered: number; skipped: number }> {
  const totals = { rerendered: 0, skipped: 0 };
  let cursor: string | null = null;
  for (;;) {
    const batch = await rerenderBatch(render, cursor, batchSize);
    if (batch.lastId === null) return totals;
    totals.rerendered += batch.rerendered;
    totals.skipped += batch.skipped;
    cursor = batch.lastId;
  }
}

/**
 * A published post with a newer edit waiting for processing, whose stored renderings (of the published
 * version, in `html` and `publishedHtml`) look like an older engine's.
 */
async function publishedWithNewerEdit() {
  const { api, profile } = await newWriter();
  const post = await api.posts.create({ title: "Old engine", markdown: "## Published words\n\nAs *readers* know them." });
  await processPost({ postId: post.id, version: 1 });
  await api.posts.publish({ id: post.id });
  const edited = await api.posts.update({ id: post.id, version: 1, markdown: "## Draft words\n\nNot *published* yet." });
  await db
    .update(posts)
    .set({ html: "<p>old</p>", publishedHtml: "<p>old published</p>", publishedToc: [], renderedWith: 1 })
    .where(eq(posts.id, post.id));
  return { api, profile, post, version: edited.version };
}

describe("rerender-posts", () => {
  it("renders the published version from its revision while a newer edit waits, and marks the post done", async () => {
    const { profile, post } = await publishedWithNewerEdit();
    const totals = await rerenderAll(renderInThread);
    expect(totals.rerendered).toBeGreaterThanOrEqual(1);

    const publishedHtml = renderMarkdown("## Published words\n\nAs *readers* know them.").html;
    const [row] = await db.select().from(posts).where(eq(posts.id, post.id));
    expect(row).toMatchObject({ renderedWith: RENDER_ENGINE_VERSION, html: publishedHtml, publishedHtml, markdown: "## Draft words\n\nNot *published* yet." });
    const read = await anonymous().posts.bySlug({ username: profile.username, slug: post.slug });
    expect(read.html).toContain("<em>readers</em>");
    expect(read.toc).toEqual([{ depth: 2, id: "user-content-published-words", text: "Published words" }]);
  });

  it("renders a processed draft's current text", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create({ title: "Draft", markdown: "A *draft* only." });
    await processPost({ postId: post.id, version: 1 });
    await db.update(posts).set({ html: "<p>old</p>", renderedWith: 1 }).where(eq(posts.id, post.id));
    await rerenderAll(renderInThread);
    expect((await api.posts.byId({ id: post.id })).html).toBe(renderMarkdown("A *draft* only.").html);
  });

  it("is idempotent: a second walk finds nothing left to do", async () => {
    await publishedWithNewerEdit();
    await rerenderAll(renderInThread);
    const rendered: string[] = [];
    const again = await rerenderAll((markdown) => {
      rendered.push(markdown);
      return renderInThread(markdown);
    });
    expect(again).toEqual({ rerendered: 0, skipped: 0 });
    expect(rendered).toEqual([]);
  });

  it("leaves a post alone when the writer saves it while it is being rendered", async () => {
    const { api, post, version } = await publishedWithNewerEdit();
    let saved = false;
    await rerenderAll(async (markdown) => {
      if (!saved) {
        saved = true;
        await api.posts.update({ id: post.id, version, markdown: "Saved meanwhile." });
      }
      return renderInThread(markdown);
    }, 500);
    const [row] = await db.select().from(posts).where(eq(posts.id, post.id));
    // Still the older engine's, for the next walk; the save's own processing renders its version.
    expect(row).toMatchObject({ renderedWith: 1, publishedHtml: "<p>old published</p>", markdown: "Saved meanwhile." });
  });
});
