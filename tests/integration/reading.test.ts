import { describe, expect, it } from "vitest";
import { anonymous, errorCode, eventually, newWriter, startWorkerForFile } from "./helpers";

startWorkerForFile();

type Writer = Awaited<ReturnType<typeof newWriter>>;

async function publish(writer: Writer, title: string, markdown: string, tags: string[] = []) {
  const post = await writer.api.posts.create({ title, markdown });
  const withTags = tags.length ? await writer.api.posts.update({ id: post.id, version: 1, tags }) : post;
  await writer.api.posts.publish({ id: post.id });
  await eventually(() => writer.api.posts.byId({ id: post.id }), (p) => p.publishedVersion === withTags.version && p.status === "ready");
  return post;
}

// Words unique to this run, so other test files' posts cannot match.
const word = `zephyr${Date.now().toString(36)}`;

describe("posts.search", () => {
  it("finds a published post by a word of its body, with a highlighted, escaped snippet", async () => {
    const writer = await newWriter();
    const post = await publish(writer, "Weather diary", `The ${word} wind blew hard on Tom & "Jerry" over the hills all afternoon.`);
    const { items } = await anonymous().posts.search({ q: word });
    expect(items.map((p) => p.id)).toEqual([post.id]);
    expect(items[0]?.snippet).toContain(`<mark>${word}</mark>`);
    expect(items[0]?.snippet).toContain("Tom &amp; &quot;Jerry&quot;"); // the writer's text, escaped
    expect(items[0]?.author.username).toBe(writer.profile.username);
  });

  it("never finds drafts, and ranks title matches first", async () => {
    const writer = await newWriter();
    await writer.api.posts.create({ title: `Draft about ${word}2`, markdown: `${word}2 in a draft` });
    const inBody = await publish(writer, "Body only", `A mention of ${word}3 deep in the text.`);
    const inTitle = await publish(writer, `All about ${word}3`, "Nothing else here.");
    expect((await anonymous().posts.search({ q: `${word}2` })).items).toEqual([]);
    expect((await anonymous().posts.search({ q: `${word}3` })).items.map((p) => p.id)).toEqual([inTitle.id, inBody.id]);
  });

  it("refuses an empty query", async () => {
    expect(await errorCode(anonymous().posts.search({ q: "   " }))).toBe("BAD_REQUEST");
  });

  it("matches the beginnings of words: a half-typed word finds the whole one", async () => {
    const writer = await newWriter();
    const post = await publish(writer, `Release notes ${word}4`, "What changed in this release of the garden shed.");
    const ids = async (q: string) => (await anonymous().posts.search({ q })).items.map((p) => p.id);
    expect(await ids(`releas ${word}4`)).toEqual([post.id]);
    expect(await ids(`garde ${word.slice(0, -2)}`)).toContain(post.id);
    expect((await anonymous().posts.search({ q: `releas ${word}4` })).items[0]?.snippet).toContain("<mark>");
    // Every word must match: one that matches nothing finds nothing.
    expect(await ids(`releas ${word}4 submarine`)).toEqual([]);
    // A word left out with a minus, and a phrase, still work.
    expect(await ids(`${word}4 -garden`)).toEqual([]);
    expect(await ids(`"garden shed" ${word}4`)).toEqual([post.id]);
    expect(await ids(`"shed garden" ${word}4`)).toEqual([]);
  });

  it("finds posts by their author's name and by their tags, ranked", async () => {
    const author = await newWriter(`Wren${word.slice(-6)}`);
    const other = await newWriter();
    const byAuthor = await publish(author, "Letters from the coast", "Salt and wind.");
    const tagged = await publish(other, "A quiet post", "Nothing about it in the text.", [`${word}5-tips`]);
    const inText = await publish(other, `Everything about ${word}5`, "All of it.");
    const ids = async (q: string) => (await anonymous().posts.search({ q })).items.map((p) => p.id);

    expect(await ids(`wren${word.slice(-6)}`)).toEqual([byAuthor.id]);
    expect(await ids(`Wren${word.slice(-6, -2)}`)).toEqual([byAuthor.id]); // the beginning of the name
    expect(await ids(`wren${word.slice(-6)} coast`)).toEqual([byAuthor.id]);
    expect(await ids(`wren${word.slice(-6)} mountains`)).toEqual([]);
    // "word5 tips" (or "word5-tips") is the tag word5-tips; "word5" alone is only in the other post's title.
    expect(await ids(`${word}5 tips`)).toEqual([tagged.id]);
    expect(await ids(`${word}5-tips`)).toEqual([tagged.id]);
    expect(await ids(`${word}5`)).toEqual([inText.id]);
    // A tag that is also in another post's text: both found, the text match first.
    const alsoTagged = await publish(author, "Tagged only", "No mention.", [`${word}5`]);
    expect(await ids(`${word}5`)).toEqual([inText.id, alsoTagged.id]);
  });

  it("finds nothing for stop words alone, and takes text-search syntax as plain words", async () => {
    expect((await anonymous().posts.search({ q: "the and of" })).items).toEqual([]);
    for (const q of ["a'b:*|!(c", "\\", "&& || !!", `${word}:* & !x`, "<-> <2>", "'; drop table posts; --"]) {
      await expect(anonymous().posts.search({ q })).resolves.toMatchObject({ items: expect.any(Array) });
    }
  });
});

describe("posts.bySlug", () => {
  it("links a post to the writer's previous and next posts, also when published from a stored rendering", async () => {
    const writer = await newWriter();
    // Rendered before the publish, so posts.publish copies the rendering in its own transaction.
    const processed = async (title: string) => {
      const post = await writer.api.posts.create({ title, markdown: `${title}, in a few words.` });
      await eventually(() => writer.api.posts.byId({ id: post.id }), (p) => p.status === "ready");
      expect(await writer.api.posts.publish({ id: post.id })).toMatchObject({ status: "ready", publishedVersion: 1 });
      return post;
    };
    const first = await processed("First light");
    const second = await processed("Second light");
    const third = await publish(writer, "Third light", "Published while the worker renders it.");
    const page = (slug: string) => anonymous().posts.bySlug({ username: writer.profile.username, slug });
    expect(await page(first.slug)).toMatchObject({ previous: null, next: { slug: second.slug } });
    expect(await page(second.slug)).toMatchObject({ previous: { slug: first.slug }, next: { slug: third.slug } });
    expect(await page(third.slug)).toMatchObject({ previous: { slug: second.slug }, next: null });
  });
});

describe("posts.published and posts.tags", () => {
  it("pages through one tag's posts and counts tags in use", async () => {
    const writer = await newWriter();
    const tag = `tag-${word}`;
    const a = await publish(writer, "Tagged A", "a", [tag]);
    const b = await publish(writer, "Tagged B", "b", [tag, "other"]);
    await publish(writer, "Untagged", "c");
    const first = await anonymous().posts.published({ tag, limit: 1 });
    expect(first.items.map((p) => p.id)).toEqual([b.id]);
    const second = await anonymous().posts.published({ tag, limit: 1, cursor: first.nextCursor });
    expect(second.items.map((p) => p.id)).toEqual([a.id]);
    expect(second.nextCursor).toBeNull();
    expect(second.items[0]?.tags).toEqual([tag]);
    expect(await anonymous().posts.tags()).toContainEqual({ tag, count: 2 });
  });

  it("lists one writer's published posts and answers NOT_FOUND for an unknown writer", async () => {
    const writer = await newWriter();
    const post = await publish(writer, "Mine only", "m");
    expect((await anonymous().posts.published({ username: writer.profile.username })).items.map((p) => p.id)).toEqual([post.id]);
    expect(await errorCode(anonymous().posts.published({ username: "nobody_at_all" }))).toBe("NOT_FOUND");
  });
});
