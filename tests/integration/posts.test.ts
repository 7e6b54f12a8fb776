import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/server/env.js";
import { JOB_CONTRACT_VERSION, POSTS_QUEUE, createRedis, processPostJobId } from "@/server/jobs/contract";
import { enqueueProcessPost } from "@/server/jobs/queues";
import { db } from "@/server/db";
import { processPost } from "@/server/posts/process-post";
import { posts } from "@/server/posts/schema";
import { eq, sql } from "drizzle-orm";
import { POST_MARKDOWN_MAX } from "@/lib/validations/post";
import { anonymous, closeConnections, errorCode, newWriter } from "./helpers";

// No worker runs in this file: jobs stay in the queue, where the tests can see them.
const redis = createRedis(env.REDIS_URL, "worker");
const queue = new Queue(POSTS_QUEUE, { connection: redis, prefix: env.QUEUE_PREFIX });

beforeAll(async () => {
  await queue.waitUntilReady();
});

afterAll(async () => {
  await queue.close();
  await redis.quit();
  await closeConnections();
});

const draft = { title: "A Walk in the Park", markdown: "Trees and **light**." };

describe("posts.create", () => {
  it("saves the post as queued at version 1 and enqueues one process-post job for it", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create(draft);
    expect(post).toMatchObject({ title: draft.title, slug: "a-walk-in-the-park", markdown: draft.markdown, version: 1, status: "queued", visibility: "draft", html: null });
    const job = await queue.getJob(processPostJobId({ postId: post.id, version: 1 }));
    expect(job?.name).toBe("process-post");
    expect(job?.data).toEqual({ postId: post.id, version: 1, contractVersion: JOB_CONTRACT_VERSION });
  });

  it("stores its times in milliseconds, the precision of the dashboard's cursor", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create(draft);
    const [stored] = await db
      .select({ subMillisecond: sql<number>`(extract(microseconds from ${posts.updatedAt})::bigint % 1000)::int` })
      .from(posts)
      .where(eq(posts.id, post.id));
    expect(stored?.subMillisecond).toBe(0);
  });

  it("gives a second post with the same title the next free slug", async () => {
    const { api } = await newWriter();
    await api.posts.create(draft);
    expect((await api.posts.create(draft)).slug).toBe("a-walk-in-the-park-2");
  });

  it("refuses anonymous calls and invalid input, and writes nothing", async () => {
    const { api } = await newWriter();
    expect(await errorCode(anonymous().posts.create(draft))).toBe("UNAUTHORIZED");
    expect(await errorCode(api.posts.create({ title: "", markdown: "x" }))).toBe("BAD_REQUEST");
    expect(await errorCode(api.posts.create({ title: "t", markdown: "x".repeat(POST_MARKDOWN_MAX + 1) }))).toBe("BAD_REQUEST");
    expect((await api.posts.list({})).items).toEqual([]);
  });
});

describe("the process-post queue", () => {
  it("collapses repeated enqueues of the same version into one job", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create(draft);
    await enqueueProcessPost({ postId: post.id, version: 1 });
    await enqueueProcessPost({ postId: post.id, version: 1 });
    const jobs = await queue.getJobs(["waiting", "active", "delayed", "prioritized"]);
    expect(jobs.filter((j) => j.data.postId === post.id)).toHaveLength(1);
  });
});

describe("posts.update", () => {
  it("increments the version, queues the new version and enqueues its job", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create(draft);
    const updated = await api.posts.update({ id: post.id, version: 1, markdown: "New words." });
    expect(updated).toMatchObject({ version: 2, status: "queued", markdown: "New words.", title: draft.title });
    expect(await queue.getJob(processPostJobId({ postId: post.id, version: 2 }))).toBeDefined();
  });

  it("refuses a stale version with CONFLICT and keeps the newer text", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create(draft);
    await api.posts.update({ id: post.id, version: 1, markdown: "From tab one." });
    await expect(api.posts.update({ id: post.id, version: 1, markdown: "From tab two." })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await api.posts.byId({ id: post.id })).toMatchObject({ version: 2, markdown: "From tab one." });
  });

  it("leaves the version alone when nothing changed", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create(draft);
    expect((await api.posts.update({ id: post.id, version: 1, title: draft.title })).version).toBe(1);
    // The same for a text-only save, which takes the one-statement path first.
    expect((await api.posts.update({ id: post.id, version: 1, markdown: draft.markdown })).version).toBe(1);
    expect(await queue.getJob(processPostJobId({ postId: post.id, version: 2 }))).toBeUndefined();
  });

  it("answers a save with the post as byId reads it, all but the html (the previous version's until rendered)", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create(draft);
    const settings = await api.posts.update({ id: post.id, version: 1, tags: ["walks"], excerpt: "An excerpt." });
    const saved = await api.posts.update({ id: post.id, version: 2, markdown: "Only the text changes." });
    const { html: _html, ...stored } = await api.posts.byId({ id: post.id });
    expect(saved).toEqual(stored);
    expect(saved).not.toHaveProperty("html");
    expect(settings).not.toHaveProperty("html");
    expect(saved).toMatchObject({ version: 3, status: "queued", markdown: "Only the text changes.", tags: ["walks"], excerptOverride: "An excerpt." });
  });

  it("moves the slug with the title until the post is first published", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create(draft);
    const renamed = await api.posts.update({ id: post.id, version: 1, title: "Evening Walk" });
    expect(renamed.slug).toBe("evening-walk");
    await api.posts.publish({ id: post.id });
    const afterPublish = await api.posts.update({ id: post.id, version: renamed.version, title: "Night Walk" });
    expect(afterPublish.slug).toBe("evening-walk");
  });
});

describe("posts.list", () => {
  it("pages through the writer's own posts, newest edit first, without overlap", async () => {
    const { api } = await newWriter();
    const ids: string[] = [];
    for (const title of ["One", "Two", "Three"]) ids.push((await api.posts.create({ title, markdown: title })).id);
    const first = await api.posts.list({ limit: 2 });
    expect(first.items.map((p) => p.title)).toEqual(["Three", "Two"]);
    expect(first.nextCursor).toBeTruthy();
    const second = await api.posts.list({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map((p) => p.title)).toEqual(["One"]);
    expect(second.nextCursor).toBeNull();
  });

  it("filters by visibility and never shows another writer's posts", async () => {
    const { api } = await newWriter();
    const other = await newWriter();
    const a = await api.posts.create({ title: "Draft", markdown: "d" });
    const b = await api.posts.create({ title: "Public", markdown: "p" });
    await other.api.posts.create({ title: "Theirs", markdown: "t" });
    await api.posts.publish({ id: b.id });
    expect((await api.posts.list({ visibility: "published" })).items.map((p) => p.id)).toEqual([b.id]);
    expect((await api.posts.list({ visibility: "draft" })).items.map((p) => p.id)).toEqual([a.id]);
    expect((await api.posts.list({})).items).toHaveLength(2);
  });

  it("refuses a forged cursor with BAD_REQUEST", async () => {
    const { api } = await newWriter();
    expect(await errorCode(api.posts.list({ cursor: "not-a-cursor" }))).toBe("BAD_REQUEST");
  });
});

describe("another writer's post", () => {
  it("answers NOT_FOUND to every procedure and stays unchanged", async () => {
    const owner = await newWriter("Owner");
    const intruder = await newWriter("Intruder");
    const post = await owner.api.posts.create(draft);
    const id = post.id;
    const calls = [
      () => intruder.api.posts.byId({ id }),
      () => intruder.api.posts.update({ id, version: 1, markdown: "defaced" }),
      () => intruder.api.posts.publish({ id }),
      () => intruder.api.posts.unpublish({ id }),
      () => intruder.api.posts.retry({ id }),
      () => intruder.api.posts.delete({ id }),
    ];
    for (const call of calls) expect(await errorCode(call())).toBe("NOT_FOUND");
    expect(await owner.api.posts.byId({ id })).toMatchObject({ markdown: draft.markdown, visibility: "draft", version: 1 });
  });
});

describe("anonymous callers", () => {
  it("are refused every writer procedure with UNAUTHORIZED", async () => {
    const id = "6f299cf1-0b3d-448b-9968-60fc7aca024c";
    const anon = anonymous();
    const calls = [
      () => anon.posts.byId({ id }),
      () => anon.posts.list({}),
      () => anon.posts.update({ id, version: 1, title: "x" }),
      () => anon.posts.publish({ id }),
      () => anon.posts.unpublish({ id }),
      () => anon.posts.delete({ id }),
      () => anon.posts.retry({ id }),
    ];
    for (const call of calls) expect(await errorCode(call())).toBe("UNAUTHORIZED");
  });
});

describe("posts.publish and posts.bySlug", () => {
  it("keeps a draft invisible to readers", async () => {
    const { api, profile } = await newWriter();
    const post = await api.posts.create(draft);
    expect(await errorCode(anonymous().posts.bySlug({ username: profile.username, slug: post.slug }))).toBe("NOT_FOUND");
  });

  it("queues the current version for processing and marks the post published", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create(draft);
    const published = await api.posts.publish({ id: post.id });
    expect(published).toMatchObject({ visibility: "published", status: "queued", version: 1 });
  });

  it("publishes a version the worker has rendered at once, from that rendering, without another job", async () => {
    const { api, profile } = await newWriter();
    const post = await api.posts.create({ title: "Rendered once", markdown: "## Harbour lights\n\nBoats at *rest* in the marina." });
    expect(await processPost({ postId: post.id, version: post.version })).toBe("processed");

    const published = await api.posts.publish({ id: post.id });
    expect(published).toMatchObject({ visibility: "published", status: "ready", version: 1, publishedVersion: 1 });
    expect(published.publishedAt).toBeInstanceOf(Date);
    expect(await queue.getJob(processPostJobId({ postId: post.id, version: 1 }, "publish"))).toBeUndefined();

    const read = await anonymous().posts.bySlug({ username: profile.username, slug: post.slug });
    expect(read.html).toContain("<em>rest</em>");
    expect(read.toc).toEqual([{ depth: 2, id: "user-content-harbour-lights", text: "Harbour lights" }]);
    expect(read.wordCount).toBe(published.wordCount);
    // The stored plain text feeds the search index, and the version is kept as a revision.
    expect((await anonymous().posts.search({ q: "marina" })).items.map((hit) => hit.id)).toContain(post.id);
    expect((await api.posts.revisions({ id: post.id })).map((r) => r.version)).toEqual([1]);
  });

  it("queues a rendered version again when its plain text was not kept (rendered before migration 0005)", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create(draft);
    await processPost({ postId: post.id, version: post.version });
    await db.update(posts).set({ text: null, toc: null }).where(eq(posts.id, post.id));

    const published = await api.posts.publish({ id: post.id });
    expect(published).toMatchObject({ visibility: "published", status: "queued", publishedVersion: null });
    expect((await queue.getJob(processPostJobId({ postId: post.id, version: 1 }, "publish")))?.data).toEqual({ postId: post.id, version: 1, contractVersion: JOB_CONTRACT_VERSION });
  });

  it("answers NOT_FOUND for unknown writers and slugs", async () => {
    expect(await errorCode(anonymous().posts.bySlug({ username: "nobody_here", slug: "x" }))).toBe("NOT_FOUND");
  });
});

describe("posts.delete", () => {
  it("removes the post for good", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create(draft);
    expect(await api.posts.delete({ id: post.id })).toEqual({ id: post.id });
    expect(await errorCode(api.posts.byId({ id: post.id }))).toBe("NOT_FOUND");
    expect(await errorCode(api.posts.delete({ id: post.id }))).toBe("NOT_FOUND");
  });
});

describe("posts.preview", () => {
  it("renders through the worker's pipeline for a signed-in writer, without saving", async () => {
    const { api } = await newWriter();
    const { html } = await api.posts.preview({ markdown: "# Hi\n\n<script>alert(1)</script>" });
    expect(html).toContain(`<h1 id="user-content-hi">Hi</h1>`);
    expect(html).not.toContain("<script");
    expect((await api.posts.list({})).items).toHaveLength(0);
  });

  it("refuses anonymous callers and oversized input", async () => {
    expect(await errorCode(anonymous().posts.preview({ markdown: "# Hi" }))).toBe("UNAUTHORIZED");
    const { api } = await newWriter();
    expect(await errorCode(api.posts.preview({ markdown: "x".repeat(POST_MARKDOWN_MAX + 1) }))).toBe("BAD_REQUEST");
  });

  it("limits previews per writer", async () => {
    const { api } = await newWriter();
    const answers = await Promise.all(Array.from({ length: 125 }, () => errorCode(api.posts.preview({ markdown: "x" })).catch(() => "ok")));
    expect(answers.filter((code) => code === "TOO_MANY_REQUESTS").length).toBeGreaterThanOrEqual(5);
    // Another writer is not held back by the first one's count.
    const { api: other } = await newWriter();
    expect((await other.posts.preview({ markdown: "x" })).html).toBe("<p>x</p>");
  });
});
