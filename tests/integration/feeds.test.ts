import { parseFeed } from "@rowanmanning/feed-parser";
import { eq } from "drizzle-orm";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { buildFeed, type FeedScope } from "@/server/feeds";
import { posts } from "@/server/posts/schema";
import { users } from "@/server/users/schema";
import { eventually, newWriter, startWorkerForFile } from "./helpers";

startWorkerForFile();

interface StrictItem {
  title: string;
  link: string;
  guid: string;
  guidIsPermaLink: string | undefined;
  description: string;
  content: string;
}

/**
 * Parses a feed with saxes, a strict XML 1.0 parser (it throws on any well-formedness error, such as a
 * control character or a stray "]]>"), and returns the channel title and its items as a reader sees them.
 */
function parseStrictly(xml: string): { channelTitle: string; items: StrictItem[] } {
  const parser = new SaxesParser({ xmlns: true });
  const path: string[] = [];
  const items: StrictItem[] = [];
  let channelTitle = "";
  let item: StrictItem | null = null;
  let text = "";
  parser.on("error", (error) => {
    throw error;
  });
  parser.on("opentag", (tag) => {
    path.push(tag.name);
    text = "";
    if (tag.name === "item") item = { title: "", link: "", guid: "", guidIsPermaLink: undefined, description: "", content: "" };
    if (tag.name === "guid" && item) item.guidIsPermaLink = tag.attributes.isPermaLink?.value;
  });
  parser.on("text", (t) => (text += t));
  parser.on("cdata", (t) => (text += t));
  parser.on("closetag", (tag) => {
    const parent = path.at(-2);
    if (parent === "item" && item && (tag.name === "title" || tag.name === "link" || tag.name === "guid" || tag.name === "description")) item[tag.name] = text;
    if (parent === "item" && item && tag.name === "content:encoded") item.content = text;
    if (parent === "channel" && tag.name === "title") channelTitle = text;
    if (tag.name === "item" && item) items.push(item);
    path.pop();
    text = "";
  });
  parser.write(xml).close();
  return { channelTitle, items };
}

async function feedXml(scope: FeedScope): Promise<string> {
  const xml = await buildFeed(scope);
  if (xml === null) throw new Error(`no feed for ${JSON.stringify(scope)}`);
  return xml;
}

describe("RSS feeds", () => {
  it("are valid RSS with the full HTML of published posts only, per writer and per tag", async () => {
    const { api, profile } = await newWriter("Feeder");
    const tag = `feed-${Date.now().toString(36)}`;
    const post = await api.posts.create({ title: "Fed & <ready>", markdown: "## Heading\n\nFull **content** here: `<script>&amp;`." });
    await api.posts.update({ id: post.id, version: 1, tags: [tag] });
    await api.posts.publish({ id: post.id });
    await api.posts.create({ title: "Still a draft", markdown: "secret" });
    await eventually(() => api.posts.byId({ id: post.id }), (p) => p.publishedVersion === 2);

    for (const scope of [{ kind: "author", username: profile.username }, { kind: "tag", tag }] as const) {
      const xml = await feedXml(scope);
      const feed = parseFeed(xml);
      expect(feed.meta.type).toBe("rss");
      expect(feed.items).toHaveLength(1);
      const [item] = feed.items;
      expect(item?.title).toBe("Fed & <ready>");
      expect(item?.url).toMatch(new RegExp(`/@${profile.username}/fed-and-ready$`));
      expect(item?.content).toContain(`<h2 id="user-content-heading">Heading</h2>`);
      expect(item?.content).toContain("<strong>content</strong>");
      expect(item?.categories.map((c) => c.term)).toEqual([tag]);
      const strict = parseStrictly(xml).items;
      expect(strict).toHaveLength(1);
      // Text in the HTML stays text: its escaped "<script>" comes out of the XML still escaped, as the
      // post's HTML has it (a lenient reader may decode twice; a strict one does not).
      const html = (await api.posts.bySlug({ username: profile.username, slug: "fed-and-ready" })).html;
      expect(strict[0]?.content).toBe(html);
      expect(html).toMatch(/<code>[^<]*script[^<]*<\/code>/);
    }
    const site = parseFeed(await feedXml({ kind: "site" }));
    expect(site.items.map((i) => i.title)).toContain("Fed & <ready>");
    expect(site.items.map((i) => i.title)).not.toContain("Still a draft");
  });

  it("is null for an unknown writer", async () => {
    expect(await buildFeed({ kind: "author", username: "nobody_here" })).toBeNull();
  });

  it("carries titles and excerpts that try to close CDATA as text, forging no items", async () => {
    const { api, profile } = await newWriter("Forger");
    const forgery = `</title><link>https://evil.example/</link></item><item><title>Forged</title><link>https://evil.example/</link></item><item><title>`;
    const titles = [
      `One ]]>${forgery}`,
      `Two ]]> ]]>${forgery}]]>`,
      `Three <![CDATA[ ]]]]><![CDATA[> ${forgery}`,
      `Four &amp; &lt;item&gt; &#x5d;]> ]]&gt;`,
    ];
    for (const title of titles) {
      const post = await api.posts.create({ title, markdown: `Body of ${title}\n\n]]> <item>` });
      await api.posts.update({ id: post.id, version: 1, excerpt: `Excerpt ]]>${forgery}` });
      await api.posts.publish({ id: post.id });
      await eventually(() => api.posts.byId({ id: post.id }), (p) => p.publishedVersion === 2);
    }
    const feed = parseStrictly(await feedXml({ kind: "author", username: profile.username }));
    expect(feed.items.map((i) => i.title).sort()).toEqual([...titles].sort());
    expect(feed.items.every((i) => i.description === `Excerpt ]]>${forgery}`)).toBe(true);
    expect(feed.items.some((i) => i.link.includes("evil.example"))).toBe(false);
    const site = parseStrictly(await feedXml({ kind: "site" }));
    expect(site.items.filter((i) => i.title === "Forged")).toHaveLength(0);
  });

  it("stay valid XML when text stored before control characters were refused contains them", async () => {
    const { api, profile } = await newWriter("Controls");
    const tag = `ctl-${Date.now().toString(36)}`;
    const post = await api.posts.create({ title: "Clean for now", markdown: "Body" });
    await api.posts.update({ id: post.id, version: 1, tags: [tag] });
    await api.posts.publish({ id: post.id });
    await eventually(() => api.posts.byId({ id: post.id }), (p) => p.publishedVersion === 2);
    // As a row written before the input rules: every C0 control XML cannot carry, plus U+FFFE/U+FFFF.
    const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).filter((c) => !"\0\t\n\r".includes(c)).join("");
    await db
      .update(posts)
      .set({ publishedTitle: `Bell${controls}\uFFFE\uFFFF end`, publishedExcerpt: `Ex\u0002cerpt\u0003`, publishedHtml: `<p>Body\u0007\u001b</p>` })
      .where(eq(posts.id, post.id));
    await db.update(users).set({ displayName: "Ctl\u0001 Writer", bio: "Bio\u000b" }).where(eq(users.id, profile.id));

    for (const scope of [{ kind: "site" }, { kind: "author", username: profile.username }, { kind: "tag", tag }] as const) {
      const feed = parseStrictly(await feedXml(scope));
      const item = feed.items.find((i) => i.guid === `urn:uuid:${post.id}`);
      expect(item?.title, scope.kind).toBe("Bell end");
      expect(item?.description, scope.kind).toBe("Excerpt");
      if (scope.kind === "author") expect(feed.channelTitle).toBe("Ctl Writer on InkWell");
    }
  });

  it("give each post its id as guid, which a new slug does not change", async () => {
    const { api, profile } = await newWriter("Guid");
    const post = await api.posts.create({ title: "First name", markdown: "Body" });
    await api.posts.publish({ id: post.id });
    const published = await eventually(() => api.posts.byId({ id: post.id }), (p) => p.publishedVersion !== null);
    const before = parseStrictly(await feedXml({ kind: "author", username: profile.username })).items;
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ guid: `urn:uuid:${post.id}`, guidIsPermaLink: "false" });

    const renamed = await api.posts.update({ id: post.id, version: published.version, slug: "a-new-name" });
    await api.posts.publish({ id: post.id });
    await eventually(() => api.posts.byId({ id: post.id }), (p) => p.publishedVersion === renamed.version);
    const after = parseStrictly(await feedXml({ kind: "author", username: profile.username })).items;
    expect(after).toHaveLength(1);
    expect(after[0]?.link).toMatch(/\/a-new-name$/);
    expect(after[0]?.link).not.toBe(before[0]?.link);
    expect(after[0]?.guid).toBe(before[0]?.guid);
  });
});
