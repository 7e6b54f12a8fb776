import { parseFeed } from "@rowanmanning/feed-parser";
import { describe, expect, it } from "vitest";
import { buildFeed } from "@/server/feeds";
import { eventually, newWriter, startWorkerForFile } from "./helpers";

startWorkerForFile();

describe("RSS feeds", () => {
  it("are valid RSS with the full HTML of published posts only, per writer and per tag", async () => {
    const { api, profile } = await newWriter("Feeder");
    const tag = `feed-${Date.now().toString(36)}`;
    const post = await api.posts.create({ title: "Fed & <ready>", markdown: "## Heading\n\nFull **content** here." });
    await api.posts.update({ id: post.id, version: 1, tags: [tag] });
    await api.posts.publish({ id: post.id });
    await api.posts.create({ title: "Still a draft", markdown: "secret" });
    await eventually(() => api.posts.byId({ id: post.id }), (p) => p.publishedVersion === 2);

    for (const scope of [{ kind: "author", username: profile.username }, { kind: "tag", tag }] as const) {
      const xml = await buildFeed(scope);
      const feed = parseFeed(xml ?? "");
      expect(feed.meta.type).toBe("rss");
      expect(feed.items).toHaveLength(1);
      const [item] = feed.items;
      expect(item?.title).toBe("Fed & <ready>");
      expect(item?.url).toMatch(new RegExp(`/@${profile.username}/fed-and-ready$`));
      expect(item?.content).toContain(`<h2 id="user-content-heading">Heading</h2>`);
      expect(item?.content).toContain("<strong>content</strong>");
      expect(item?.categories.map((c) => c.term)).toEqual([tag]);
    }
    const site = parseFeed((await buildFeed({ kind: "site" })) ?? "");
    expect(site.items.map((i) => i.title)).toContain("Fed & <ready>");
    expect(site.items.map((i) => i.title)).not.toContain("Still a draft");
  });

  it("is null for an unknown writer", async () => {
    expect(await buildFeed({ kind: "author", username: "nobody_here" })).toBeNull();
  });
});
