import { parseFeed } from "@rowanmanning/feed-parser";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { createDraft, newWriter, publishPost, signUpElsewhere, type Writer } from "./helpers";

// The reading side for machines: RSS feeds (parsed with a maintained feed parser), the sitemap, robots.txt
// and the feed links pages advertise.

const run = Date.now().toString(36);
const tag = `feeds-${run}`;

let writer: Writer;
let published: { title: string; path: string }[] = [];
let draftPath = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  writer = newWriter("feeder");
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUpElsewhere(page, writer);
  const first = await publishPost(page, writer, { title: `Tide tables & <charts> ${run}`, markdown: "## High water\n\nFull **content** here.", tags: [tag] });
  const second = await publishPost(page, writer, { title: `Knots for beginners ${run}`, markdown: "A bowline, a clove hitch, a reef knot.", tags: [tag, "ropes"] });
  const draft = await createDraft(page, { title: `A secret draft ${run}`, markdown: "Not for feeds.", tags: [tag] });
  published = [
    { title: `Knots for beginners ${run}`, path: second.path },
    { title: `Tide tables & <charts> ${run}`, path: first.path },
  ];
  draftPath = `/@${writer.username}/${draft.slug}`;
  await context.close();
});

async function fetchFeed(request: APIRequestContext, path: string) {
  const response = await request.get(path);
  expect(response.status(), path).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^application\/rss\+xml/);
  const feed = parseFeed(await response.text());
  expect(feed.meta.type).toBe("rss");
  return feed;
}

test.describe("RSS feeds", () => {
  test("the site feed has the latest published posts, with their full HTML, and no draft", async ({ request, baseURL }) => {
    const feed = await fetchFeed(request, "/feed.xml");
    const titles = feed.items.map((item) => item.title);
    expect(titles).toEqual(expect.arrayContaining(published.map((p) => p.title)));
    expect(titles).not.toContain(`A secret draft ${run}`);
    const item = feed.items.find((i) => i.title === `Tide tables & <charts> ${run}`);
    expect(item?.url).toBe(`${baseURL}${published[1]!.path}`);
    expect(item?.content).toContain("<strong>content</strong>");
  });

  test("each writer has a feed at /@username/feed.xml (the @ may arrive encoded)", async ({ request, baseURL }) => {
    for (const path of [`/@${writer.username}/feed.xml`, `/%40${writer.username}/feed.xml`]) {
      const feed = await fetchFeed(request, path);
      expect(feed.title).toBe(`${writer.displayName} on InkWell`);
      expect(feed.url).toBe(`${baseURL}/@${writer.username}`);
      expect(feed.items.map((item) => item.title)).toEqual(published.map((p) => p.title));
      expect(feed.items[0]?.authors[0]?.name).toBe(writer.displayName);
    }
    expect((await request.get("/@nobody_by_this_name/feed.xml")).status()).toBe(404);
  });

  test("each tag has a feed at /tags/tag/feed.xml; a tag without posts has none", async ({ request }) => {
    const feed = await fetchFeed(request, `/tags/${tag}/feed.xml`);
    expect(feed.title).toBe(`#${tag} on InkWell`);
    expect(feed.items.map((item) => item.title)).toEqual(published.map((p) => p.title));
    expect(feed.items[0]?.categories.map((c) => c.term)).toEqual([tag, "ropes"]);
    const ropes = await fetchFeed(request, "/tags/ropes/feed.xml");
    expect(ropes.items.map((item) => item.title)).toContain(`Knots for beginners ${run}`);
    expect((await request.get(`/tags/never-used-${run}/feed.xml`)).status()).toBe(404);
  });

  test("pages point feed readers at the right feed", async ({ page, baseURL }) => {
    const alternate = page.locator('link[rel="alternate"][type="application/rss+xml"]');
    for (const [path, feed] of [
      ["/", "/feed.xml"],
      [`/@${writer.username}`, `/@${writer.username}/feed.xml`],
      [published[0]!.path, `/@${writer.username}/feed.xml`],
      [`/tags/${tag}`, `/tags/${tag}/feed.xml`],
    ] as const) {
      await page.goto(path);
      await expect(alternate, path).toHaveAttribute("href", `${baseURL}${feed}`);
    }
  });
});

test.describe("The sitemap and robots.txt", () => {
  test("sitemap.xml lists the home page, writers, tags and every published post with its date, and no draft", async ({ request, baseURL }) => {
    const response = await request.get("/sitemap.xml");
    expect(response.status()).toBe(200);
    const xml = await response.text();
    const entries = new Map(
      [...xml.matchAll(/<url>\s*<loc>([^<]+)<\/loc>(?:\s*<lastmod>([^<]+)<\/lastmod>)?/g)].map((m) => [m[1]!, m[2] ?? null]),
    );
    expect(entries.has(`${baseURL}/`)).toBe(true);
    expect(entries.has(`${baseURL}/@${writer.username}`)).toBe(true);
    expect(entries.has(`${baseURL}/tags/${tag}`)).toBe(true);
    for (const post of published) {
      const lastmod = entries.get(`${baseURL}${post.path}`);
      expect(lastmod, post.path).toBeTruthy();
      expect(Date.parse(lastmod!)).not.toBeNaN();
    }
    expect(entries.has(`${baseURL}${draftPath}`)).toBe(false);
    // Every post address in the sitemap is a published page.
    for (const url of [...entries.keys()].filter((u) => u.startsWith(`${baseURL}/@${writer.username}/`))) {
      expect((await request.get(url, { maxRedirects: 0 })).status(), url).toBe(200);
    }
  });

  test("robots.txt keeps crawlers out of the writing side and points to the sitemap", async ({ request, baseURL }) => {
    const response = await request.get("/robots.txt");
    expect(response.status()).toBe(200);
    const text = await response.text();
    for (const path of ["/dashboard", "/editor", "/api/"]) expect(text).toContain(`Disallow: ${path}\n`);
    expect(text).toContain(`Sitemap: ${baseURL}/sitemap.xml`);
  });
});
