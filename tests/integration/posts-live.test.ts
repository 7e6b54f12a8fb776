import { describe, expect, it } from "vitest";
import { getPost, listPosts, search } from "@/server/api/rest/v1";
import { loadSitemapData } from "@/server/cache/public-reads";
import { buildFeed } from "@/server/feeds";
import { anonymous, errorCode, eventually, newWriter, startWorkerForFile } from "./helpers";

// A live post and its working copy: edits (autosaves) stay private until Update; Discard drops them.
// Every public read is compared byte for byte: the reading pages (posts.bySlug, posts.published), the
// sitemap's data, the feeds, search and the REST API.

startWorkerForFile();

type Writer = Awaited<ReturnType<typeof newWriter>>;

/** A word no other test file's posts contain, so search and tag feeds see only this file's posts. */
const unique = (name: string) => `${name}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

const processed = (writer: Writer, id: string, version: number) =>
  eventually(() => writer.api.posts.byId({ id }), (p) => p.status === "ready" && p.processedVersion === version);

async function livePost(writer: Writer, word: string, tag: string) {
  const created = await writer.api.posts.create({ title: `Harbour ${word}`, markdown: `The ${word} tide came in.` });
  const withSettings = await writer.api.posts.update({
    id: created.id,
    version: created.version,
    tags: [tag],
    coverImageUrl: "https://images.example.com/harbour.jpg",
    coverImageAlt: "Boats at low tide",
    excerpt: "Notes from the harbour.",
  });
  await writer.api.posts.publish({ id: created.id, version: withSettings.version });
  return eventually(() => writer.api.posts.byId({ id: created.id }), (p) => p.publishedVersion === withSettings.version);
}

/** Everything readers can get about the writer's posts, serialised, for byte-for-byte comparison. */
async function publicView(writer: Writer, slug: string, word: string, tag: string): Promise<Record<string, string>> {
  const username = writer.profile.username;
  const reader = anonymous();
  const bySlug = await reader.posts.bySlug({ username, slug }).catch((err: { code?: string }) => err.code ?? "error");
  const rest = await getPost(username, slug).catch((err: { code?: string }) => err.code ?? "error");
  return {
    page: JSON.stringify(bySlug),
    list: JSON.stringify(await reader.posts.published({ username })),
    tagList: JSON.stringify(await reader.posts.published({ tag })),
    search: JSON.stringify(await reader.posts.search({ q: word })),
    authorFeed: stripBuildDate((await buildFeed({ kind: "author", username })) ?? ""),
    tagFeed: stripBuildDate((await buildFeed({ kind: "tag", tag })) ?? ""),
    restPost: JSON.stringify(rest),
    restList: JSON.stringify(await listPosts({ author: username, limit: 20 })),
    restSearch: JSON.stringify(await search({ q: word, offset: 0, limit: 20 })),
    sitemap: JSON.stringify(await loadSitemapData()),
  };
}

/** RSS's <lastBuildDate> is the time the XML was built, not anything about the posts. */
function stripBuildDate(xml: string): string {
  return xml.replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, "");
}

describe("edits to a live post", () => {
  it("stay private through autosaves, processing included, until Update makes them live", async () => {
    const writer = await newWriter("Live");
    const word = unique("kelp");
    const secret = unique("todo");
    const tag = unique("tide").slice(0, 30);
    const live = await livePost(writer, word, tag);
    const before = await publicView(writer, live.slug, word, tag);
    expect(JSON.parse(before.page!)).toMatchObject({ title: `Harbour ${word}`, coverImageAlt: "Boats at low tide", tags: [tag] });

    // The writer renames, re-tags and rewrites, then keeps typing (autosaves of the text alone).
    let post = await writer.api.posts.update({
      id: live.id,
      version: live.version,
      title: `Harbour ${word} revised`,
      slug: "harbour-revised",
      tags: ["draft-only"],
      coverImageUrl: "https://images.example.com/other.jpg",
      coverImageAlt: "Another picture",
      excerpt: "A private excerpt.",
      canonicalUrl: "https://elsewhere.example.com/harbour",
    });
    for (const text of [`TODO: add the bit about ${secret}`, `TODO: add the bit about ${secret} and the boats`]) {
      post = await writer.api.posts.update({ id: live.id, version: post.version, markdown: text });
    }
    const working = await processed(writer, live.id, post.version);
    expect(working).toMatchObject({ html: `<p>TODO: add the bit about ${secret} and the boats</p>`, publishedVersion: live.version, publishedSlug: live.slug });
    expect(working.version - (working.publishedVersion ?? 0)).toBe(3); // three unpublished changes

    expect(await publicView(writer, live.slug, word, tag)).toEqual(before);
    expect((await anonymous().posts.search({ q: secret })).items).toEqual([]);
    expect(await errorCode(anonymous().posts.bySlug({ username: writer.profile.username, slug: "harbour-revised" }))).toBe("NOT_FOUND");
    // History records what went live, not every autosave.
    expect((await writer.api.posts.revisions({ id: live.id })).map((r) => r.version)).toEqual([live.version]);

    const updated = await writer.api.posts.publish({ id: live.id, version: working.version });
    expect(updated).toMatchObject({ publishedVersion: working.version, publishedSlug: "harbour-revised", goingLiveVersion: null });
    const page = await anonymous().posts.bySlug({ username: writer.profile.username, slug: "harbour-revised" });
    expect(page).toMatchObject({
      title: `Harbour ${word} revised`,
      html: `<p>TODO: add the bit about ${secret} and the boats</p>`,
      tags: ["draft-only"],
      coverImageUrl: "https://images.example.com/other.jpg",
      coverImageAlt: "Another picture",
      excerpt: "A private excerpt.",
      canonicalUrl: "https://elsewhere.example.com/harbour",
    });
    expect((await anonymous().posts.search({ q: secret })).items.map((hit) => hit.id)).toEqual([live.id]);
    // The old address forwards to the new one.
    expect((await anonymous().posts.bySlug({ username: writer.profile.username, slug: live.slug })).slug).toBe("harbour-revised");
    expect((await writer.api.posts.revisions({ id: live.id })).map((r) => r.version)).toEqual([working.version, live.version]);
  });

  it("go live through the worker when Update comes before the edit is rendered", async () => {
    const writer = await newWriter("Quick");
    const word = unique("gull");
    const live = await livePost(writer, word, unique("t").slice(0, 30));
    const edited = await writer.api.posts.update({ id: live.id, version: live.version, markdown: `Fresh ${word} words.` });
    const asked = await writer.api.posts.publish({ id: live.id, version: edited.version });
    if (asked.publishedVersion !== edited.version) expect(asked).toMatchObject({ goingLiveVersion: edited.version, publishedVersion: live.version });
    await eventually(() => writer.api.posts.byId({ id: live.id }), (p) => p.publishedVersion === edited.version && p.goingLiveVersion === null);
    expect((await anonymous().posts.bySlug({ username: writer.profile.username, slug: live.slug })).html).toBe(`<p>Fresh ${word} words.</p>`);
  });

  it("are refused by an Update based on an older version than the working copy, changing nothing", async () => {
    const writer = await newWriter("Stale");
    const live = await livePost(writer, unique("reef"), unique("t").slice(0, 30));
    const first = await writer.api.posts.update({ id: live.id, version: live.version, markdown: "Reviewed text." });
    const second = await writer.api.posts.update({ id: live.id, version: first.version, markdown: "Typed after the review." });
    await expect(writer.api.posts.publish({ id: live.id, version: first.version })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await writer.api.posts.byId({ id: live.id })).toMatchObject({ version: second.version, publishedVersion: live.version, goingLiveVersion: null });
  });

  it("go live at a scheduled time (Update at…), and the post stays published meanwhile", async () => {
    const writer = await newWriter("Later");
    const word = unique("dune");
    const live = await livePost(writer, word, unique("t").slice(0, 30));
    const edited = await writer.api.posts.update({ id: live.id, version: live.version, markdown: `Scheduled ${word} update.` });
    const scheduled = await writer.api.posts.schedule({ id: live.id, publishAt: new Date(Date.now() + 1_500) });
    expect(scheduled).toMatchObject({ visibility: "published", publishedVersion: live.version });
    expect((await anonymous().posts.bySlug({ username: writer.profile.username, slug: live.slug })).html).toBe(`<p>The ${word} tide came in.</p>`);
    const done = await eventually(() => writer.api.posts.byId({ id: live.id }), (p) => p.publishedVersion === edited.version);
    expect(done).toMatchObject({ visibility: "published", scheduledAt: null });
    expect((await anonymous().posts.bySlug({ username: writer.profile.username, slug: live.slug })).html).toBe(`<p>Scheduled ${word} update.</p>`);
  });
});

describe("posts.discardChanges", () => {
  it("brings the live version back into the working copy and leaves readers' view as it was", async () => {
    const writer = await newWriter("Discard");
    const word = unique("moss");
    const tag = unique("t").slice(0, 30);
    const live = await livePost(writer, word, tag);
    const before = await publicView(writer, live.slug, word, tag);
    const edited = await writer.api.posts.update({
      id: live.id,
      version: live.version,
      title: "Half-written",
      markdown: "TODO: finish",
      slug: "half-written",
      tags: ["other"],
      coverImageAlt: "Changed",
      excerpt: "Changed excerpt.",
    });
    await processed(writer, live.id, edited.version);

    const discarded = await writer.api.posts.discardChanges({ id: live.id, version: edited.version });
    expect(discarded).toMatchObject({
      version: edited.version + 1,
      publishedVersion: edited.version + 1,
      status: "ready",
      title: `Harbour ${word}`,
      markdown: `The ${word} tide came in.`,
      html: `<p>The ${word} tide came in.</p>`,
      slug: live.slug,
      tags: [tag],
      coverImageUrl: "https://images.example.com/harbour.jpg",
      coverImageAlt: "Boats at low tide",
      excerptOverride: "Notes from the harbour.",
    });
    expect(await publicView(writer, live.slug, word, tag)).toEqual(before);
    // Another tab's edit based on the dropped working copy is refused, not silently re-applied.
    expect(await errorCode(writer.api.posts.update({ id: live.id, version: edited.version, markdown: "From another tab." }))).toBe("CONFLICT");
    expect((await writer.api.posts.revisions({ id: live.id })).map((r) => r.version)).toEqual([live.version]);
  });

  it("is refused for a post that was never live, and for another writer's post", async () => {
    const writer = await newWriter("Never");
    const draft = await writer.api.posts.create({ title: "Never live", markdown: "x" });
    await expect(writer.api.posts.discardChanges({ id: draft.id, version: draft.version })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Only a live post has changes to discard.",
    });
    const other = await newWriter("Other");
    expect(await errorCode(other.api.posts.discardChanges({ id: draft.id, version: draft.version }))).toBe("NOT_FOUND");
  });
});

describe("slugs and cover descriptions", () => {
  it("normalise a typed slug instead of refusing it, and refuse one with no letter or digit", async () => {
    const writer = await newWriter("Slugs");
    const post = await writer.api.posts.create({ title: "Slugged", markdown: "x" });
    const saved = await writer.api.posts.update({ id: post.id, version: post.version, slug: "Release Notes & Clear Writing!" });
    expect(saved.slug).toBe("release-notes-clear-writing");
    await expect(writer.api.posts.update({ id: post.id, version: saved.version, slug: "!!!" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(writer.api.posts.update({ id: post.id, version: saved.version, coverImageAlt: "x".repeat(301) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await writer.api.posts.byId({ id: post.id })).version).toBe(saved.version);
  });

  it("keep a live post's address its own while its working copy has another", async () => {
    const writer = await newWriter("Address");
    const live = await livePost(writer, unique("pier"), unique("t").slice(0, 30));
    const renamed = await writer.api.posts.update({ id: live.id, version: live.version, slug: "pier-renamed" });
    const other = await writer.api.posts.create({ title: "Another", markdown: "y" });
    await expect(writer.api.posts.update({ id: other.id, version: other.version, slug: live.slug })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(writer.api.posts.update({ id: other.id, version: other.version, slug: "pier-renamed" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(renamed.slug).toBe("pier-renamed");
  });
});
