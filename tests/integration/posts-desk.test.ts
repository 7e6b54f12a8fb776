import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostWorker, type PostWorker } from "@/worker/post-worker";
import { anonymous, closeConnections, errorCode, eventually, newWriter } from "./helpers";

// The writer's desk: post settings, slugs that keep working, dashboard filters, scheduling, revisions.
let worker: PostWorker;
beforeAll(async () => {
  worker = createPostWorker({ sweepIntervalMs: 0 });
  await worker.worker.waitUntilReady();
});
afterAll(async () => {
  await worker.close();
  await closeConnections();
});

const ready = (api: Awaited<ReturnType<typeof newWriter>>["api"], id: string, version?: number) =>
  eventually(() => api.posts.byId({ id }), (p) => p.status === "ready" && (version === undefined || p.processedVersion === version));

describe("posts.update settings", () => {
  it("stores normalised tags, URLs, an excerpt override and a chosen slug", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create({ title: "Settings", markdown: "Body text here." });
    const updated = await api.posts.update({
      id: post.id,
      version: 1,
      slug: "My-Custom-Slug",
      tags: ["Web Dev", "#react", "web-dev", "Crème"],
      coverImageUrl: "https://images.example.com/cover.jpg",
      canonicalUrl: "https://blog.example.com/settings",
      excerpt: "  A hand-written summary.  ",
    });
    expect(updated).toMatchObject({
      version: 2,
      slug: "my-custom-slug",
      tags: ["web-dev", "react", "creme"],
      coverImageUrl: "https://images.example.com/cover.jpg",
      canonicalUrl: "https://blog.example.com/settings",
      excerptOverride: "A hand-written summary.",
    });
    expect((await ready(api, post.id, 2)).excerpt).toBe("A hand-written summary.");
    const cleared = await api.posts.update({ id: post.id, version: 2, coverImageUrl: "", excerpt: "" });
    expect(cleared).toMatchObject({ coverImageUrl: null, excerptOverride: null });
  });

  it("refuses bad settings with field messages and changes nothing", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create({ title: "Strict", markdown: "x" });
    const bad = [
      { slug: "!!!" },
      { tags: ["a", "b", "c", "d", "e", "f"] },
      { tags: ["!!!"] },
      { coverImageUrl: "javascript:alert(1)" },
      { canonicalUrl: "ftp://example.com/x" },
      { excerpt: "x".repeat(301) },
    ];
    for (const fields of bad) expect(await errorCode(api.posts.update({ id: post.id, version: 1, ...fields }))).toBe("BAD_REQUEST");
    expect((await api.posts.byId({ id: post.id })).version).toBe(1);
  });

  it("refuses a slug another of the writer's posts uses, with CONFLICT", async () => {
    const { api } = await newWriter();
    await api.posts.create({ title: "Taken", markdown: "x" });
    const other = await api.posts.create({ title: "Other", markdown: "y" });
    await expect(api.posts.update({ id: other.id, version: 1, slug: "taken" })).rejects.toMatchObject({ code: "CONFLICT", message: "Another of your posts already uses that slug." });
  });

  it("keeps a writer's chosen slug when the draft's title changes", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create({ title: "First Title", markdown: "x" });
    const chosen = await api.posts.update({ id: post.id, version: 1, slug: "chosen" });
    expect((await api.posts.update({ id: post.id, version: chosen.version, title: "Second Title" })).slug).toBe("chosen");
  });
});

describe("a published post's old slug", () => {
  it("still finds the post, which answers with its new slug (the page redirects)", async () => {
    const { api, profile } = await newWriter();
    const post = await api.posts.create({ title: "Old Name", markdown: "Moved text." });
    await api.posts.publish({ id: post.id });
    await eventually(() => anonymous().posts.bySlug({ username: profile.username, slug: "old-name" }).catch(() => null), (p) => p !== null);
    const renamed = await api.posts.update({ id: post.id, version: 1, slug: "new-name" });
    await ready(api, post.id, renamed.version);
    // The new address is the working copy's until Update makes it live.
    expect((await anonymous().posts.bySlug({ username: profile.username, slug: "old-name" })).slug).toBe("old-name");
    await api.posts.publish({ id: post.id, version: renamed.version });
    const viaOld = await anonymous().posts.bySlug({ username: profile.username, slug: "old-name" });
    expect(viaOld.slug).toBe("new-name");
    expect((await anonymous().posts.bySlug({ username: profile.username, slug: "new-name" })).id).toBe(post.id);
  });
});

describe("posts.bySlug neighbours", () => {
  it("links the author's previous and next published posts", async () => {
    const { api, profile } = await newWriter();
    const ids: string[] = [];
    for (const title of ["One", "Two", "Three"]) {
      const post = await api.posts.create({ title, markdown: title });
      await api.posts.publish({ id: post.id });
      await eventually(() => api.posts.byId({ id: post.id }), (p) => p.publishedVersion === 1);
      ids.push(post.id);
    }
    const middle = await anonymous().posts.bySlug({ username: profile.username, slug: "two" });
    expect(middle.previous).toEqual({ id: ids[0], title: "One", slug: "one" });
    expect(middle.next).toEqual({ id: ids[2], title: "Three", slug: "three" });
    const first = await anonymous().posts.bySlug({ username: profile.username, slug: "one" });
    expect(first.previous).toBeNull();
  });
});

describe("posts.list filters", () => {
  it("filters by drafts, scheduled, published and failed, and searches titles literally", async () => {
    const { api } = await newWriter();
    const draft = await api.posts.create({ title: "Garden notes", markdown: "x" });
    const published = await api.posts.create({ title: "Garden 100% done", markdown: "y" });
    const scheduled = await api.posts.create({ title: "Kitchen", markdown: "z" });
    await api.posts.publish({ id: published.id });
    await api.posts.schedule({ id: scheduled.id, publishAt: new Date(Date.now() + 3_600_000) });
    const ids = async (input: Parameters<typeof api.posts.list>[0]) => (await api.posts.list(input)).items.map((p) => p.id);
    expect(await ids({ filter: "draft" })).toEqual([draft.id]);
    expect(await ids({ filter: "published" })).toEqual([published.id]);
    expect(await ids({ filter: "scheduled" })).toEqual([scheduled.id]);
    expect(await ids({ filter: "failed" })).toEqual([]);
    expect((await ids({ query: "garden" })).sort()).toEqual([draft.id, published.id].sort());
    expect(await ids({ query: "100%" })).toEqual([published.id]);
    expect(await ids({ query: "_" })).toEqual([]);
  });
});

describe("posts.schedule", () => {
  it("publishes the post once its time comes, through a delayed job", async () => {
    const { api, profile } = await newWriter();
    const post = await api.posts.create({ title: "Later", markdown: "Scheduled words." });
    const publishAt = new Date(Date.now() + 1_500);
    const scheduled = await api.posts.schedule({ id: post.id, publishAt });
    expect(scheduled).toMatchObject({ visibility: "scheduled", scheduledAt: publishAt });
    expect(await errorCode(anonymous().posts.bySlug({ username: profile.username, slug: "later" }))).toBe("NOT_FOUND");
    const published = await eventually(() => api.posts.byId({ id: post.id }), (p) => p.visibility === "published" && p.publishedVersion === 1);
    expect(published.scheduledAt).toBeNull();
    expect((await anonymous().posts.bySlug({ username: profile.username, slug: "later" })).html).toBe("<p>Scheduled words.</p>");
  });

  it("publishes when the worker comes back after being down at that moment", async () => {
    await worker.close();
    try {
      const { api } = await newWriter();
      const post = await api.posts.create({ title: "While down", markdown: "x" });
      await api.posts.schedule({ id: post.id, publishAt: new Date(Date.now() + 500) });
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // the time passes with no worker running
      expect((await api.posts.byId({ id: post.id })).visibility).toBe("scheduled");
      worker = createPostWorker({ sweepIntervalMs: 0 });
      await eventually(() => api.posts.byId({ id: post.id }), (p) => p.visibility === "published" && p.status === "ready");
    } finally {
      if (worker.worker.closing) worker = createPostWorker({ sweepIntervalMs: 0 });
    }
  });

  it("ignores the old job when the post is rescheduled or cancelled", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create({ title: "Moved", markdown: "x" });
    await api.posts.schedule({ id: post.id, publishAt: new Date(Date.now() + 500) });
    await api.posts.schedule({ id: post.id, publishAt: new Date(Date.now() + 3_600_000) });
    const cancelled = await api.posts.create({ title: "Cancelled", markdown: "y" });
    await api.posts.schedule({ id: cancelled.id, publishAt: new Date(Date.now() + 500) });
    expect((await api.posts.unschedule({ id: cancelled.id })).visibility).toBe("draft");
    // Both old jobs have run by the time a later one has.
    const probe = await api.posts.create({ title: "Probe", markdown: "z" });
    await api.posts.schedule({ id: probe.id, publishAt: new Date(Date.now() + 1_000) });
    await eventually(() => api.posts.byId({ id: probe.id }), (p) => p.visibility === "published");
    expect((await api.posts.byId({ id: post.id })).visibility).toBe("scheduled");
    expect((await api.posts.byId({ id: cancelled.id })).visibility).toBe("draft");
  });

  it("refuses a time in the past", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create({ title: "Past", markdown: "x" });
    expect(await errorCode(api.posts.schedule({ id: post.id, publishAt: new Date(Date.now() - 3_600_000) }))).toBe("BAD_REQUEST");
    expect((await api.posts.byId({ id: post.id })).visibility).toBe("draft");
  });

  it("schedules an update of a published post, which cancelling leaves published", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create({ title: "Live later", markdown: "x" });
    await api.posts.publish({ id: post.id });
    const scheduled = await api.posts.schedule({ id: post.id, publishAt: new Date(Date.now() + 3_600_000) });
    expect(scheduled).toMatchObject({ visibility: "published" });
    expect(await api.posts.unschedule({ id: post.id })).toMatchObject({ visibility: "published", scheduledAt: null });
  });
});

describe("revisions", () => {
  it("keeps each published version and restores one as a new version", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create({ title: "Draft one", markdown: "First words." });
    await api.posts.publish({ id: post.id });
    await eventually(() => api.posts.byId({ id: post.id }), (p) => p.publishedVersion === 1);
    const v2 = await api.posts.update({ id: post.id, version: 1, title: "Draft two", markdown: "Second words." });
    await api.posts.publish({ id: post.id, version: v2.version });
    await eventually(() => api.posts.byId({ id: post.id }), (p) => p.publishedVersion === 2);

    expect((await api.posts.revisions({ id: post.id })).map((r) => [r.version, r.title])).toEqual([
      [2, "Draft two"],
      [1, "Draft one"],
    ]);
    expect(await api.posts.revision({ id: post.id, version: 1 })).toMatchObject({ markdown: "First words.", html: "<p>First words.</p>" });

    const restored = await api.posts.restoreRevision({ id: post.id, revision: 1, version: v2.version });
    expect(restored).toMatchObject({ version: 3, title: "Draft one", markdown: "First words.", status: "queued" });
    expect(await errorCode(api.posts.restoreRevision({ id: post.id, revision: 1, version: v2.version }))).toBe("CONFLICT");
  });

  it("are private to the post's author", async () => {
    const owner = await newWriter();
    const other = await newWriter();
    const post = await owner.api.posts.create({ title: "Mine", markdown: "x" });
    expect(await errorCode(other.api.posts.revisions({ id: post.id }))).toBe("NOT_FOUND");
    expect(await errorCode(other.api.posts.revision({ id: post.id, version: 1 }))).toBe("NOT_FOUND");
    expect(await errorCode(other.api.posts.restoreRevision({ id: post.id, revision: 1, version: 1 }))).toBe("NOT_FOUND");
    expect(await errorCode(other.api.posts.schedule({ id: post.id, publishAt: new Date(Date.now() + 60_000) }))).toBe("NOT_FOUND");
    expect(await errorCode(other.api.posts.unschedule({ id: post.id }))).toBe("NOT_FOUND");
  });
});
