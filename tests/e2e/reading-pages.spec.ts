import { expect, test, type Browser, type Page } from "@playwright/test";
import { callTrpc, createDraft, newWriter, publishPost, signUpElsewhere, waitUntilPublic, type Writer } from "./helpers";

// The reading side as readers (anonymous, each test in a fresh browser context) see it. Content is
// written once, through the API as two writers, and processed by the real worker.

const run = Date.now().toString(36);
/** Words no other spec writes, so searches and tag pages find exactly this spec's posts. */
const bodyWord = `quillwort${run}`;
const seriesWord = `barnacle${run}`;
const draftWord = `hushhush${run}`;
const seriesTag = `tidelog-${run}`;
const essayTag = `essays-${run}`;
const SERIES = 11; // one more than a page (LIST_PAGE_SIZE in server/cache/public-reads.ts)

const COVER_URL = "https://images.example.test/harbour-cover.svg";
const COVER_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1600 800"><rect width="1600" height="800" fill="#86bdb6"/><circle cx="1200" cy="250" r="120" fill="#fbfaf7"/></svg>';

const longEssay = [
  `Reading slowly is a way of paying attention. This essay mentions ${bodyWord} once, on purpose.`,
  "",
  "## Why slow reading matters",
  "",
  "Most of what we read is *skimmed*. Some writing rewards a second look.[^1]",
  "",
  "> The art of reading is in great part that of acquiring a better understanding of life.",
  "",
  "### A small experiment",
  "",
  "Read one page aloud and notice where you stumble.",
  "",
  "## Tools of the trade",
  "",
  "```ts",
  "// Count the words in each paragraph.",
  "export function wordsPerParagraph(text: string): number[] {",
  "  return text.split(/\\n{2,}/).map((p) => p.split(/\\s+/).length);",
  "}",
  "```",
  "",
  "| Pace | Words per minute |",
  "| --- | ---: |",
  "| Skimming | 700 |",
  "| Slow | 120 |",
  "",
  "## Closing thoughts",
  "",
  "Read like you have time, because you do.",
  "",
  "[^1]: Footnotes, too, deserve to be read slowly.",
].join("\n");

interface Fixture {
  ada: Writer;
  bob: Writer;
  essayPath: string;
  notePath: string;
  /** The note's address before its slug was changed (set by the redirect test). */
  seriesPaths: string[];
  draftPath: string;
}

let fixture: Fixture;

async function writerPage(browser: Browser, writer: Writer): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signUpElsewhere(page, writer);
  return page;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  const ada = newWriter("ada");
  const bob = newWriter("bob");

  const bobPage = await writerPage(browser, bob);
  const series = [];
  for (let i = 1; i <= SERIES; i++) {
    series.push(await createDraft(bobPage, { title: `Harbour log ${i}`, markdown: `Entry ${i}. The tide was low and the ${seriesWord} was loud.`, tags: [seriesTag] }));
  }
  for (const post of series) await callTrpc(bobPage, "posts.publish", { id: post.id }, "mutation");
  const seriesPaths = [];
  for (const post of series) seriesPaths.push(`/@${bob.username}/${(await waitUntilPublic(bobPage, post.id)).slug}`);
  await bobPage.context().close();

  const adaPage = await writerPage(browser, ada);
  await callTrpc(adaPage, "users.updateProfile", { bio: "Writes about slow reading and the craft of making things last." }, "mutation");
  const essay = await publishPost(adaPage, ada, { title: "A field guide to slow reading", markdown: longEssay, tags: [essayTag, "craft"], coverImageUrl: COVER_URL });
  const note = await publishPost(adaPage, ada, {
    title: "Notes on a quiet harbour",
    markdown: "The boats came in at dusk, one by one.",
    tags: [essayTag],
    canonicalUrl: "https://elsewhere.example/quiet-harbour",
  });
  const draft = await createDraft(adaPage, { title: "An unfinished thought", markdown: `Not ready: ${draftWord}.`, tags: [essayTag] });
  await adaPage.context().close();

  fixture = { ada, bob, essayPath: essay.path, notePath: note.path, seriesPaths, draftPath: `/@${ada.username}/${draft.slug}` };
});

test.describe("The home page", () => {
  test("lists the latest posts with title, excerpt, author, date, reading time and tags, newest first", async ({ page }) => {
    await page.goto("/");
    const latest = page.getByRole("region", { name: "Latest posts" });
    const articles = latest.getByRole("article");
    await expect(articles).toHaveCount(10);
    // Ada published last: her two posts come first.
    await expect(articles.nth(0).getByRole("heading", { level: 3 })).toHaveText("Notes on a quiet harbour");
    await expect(articles.nth(1).getByRole("heading", { level: 3 })).toHaveText("A field guide to slow reading");

    const essay = articles.nth(1);
    await expect(essay.getByRole("link", { name: "A field guide to slow reading" })).toHaveAttribute("href", fixture.essayPath);
    await expect(essay.getByText(/^Reading slowly is a way of paying attention/)).toBeVisible();
    await expect(essay.getByRole("link", { name: fixture.ada.displayName })).toHaveAttribute("href", `/@${fixture.ada.username}`);
    await expect(essay.locator("time")).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T/);
    await expect(essay.getByText("1 min read")).toBeVisible();
    const tags = essay.getByRole("list", { name: "Tags" });
    await expect(tags.getByRole("link", { name: essayTag, exact: true })).toHaveAttribute("href", `/tags/${essayTag}`);
    await expect(tags.getByRole("link", { name: "craft", exact: true })).toHaveAttribute("href", "/tags/craft");
  });

  test("pages back with an Older posts link that works without JavaScript", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/");
    const firstPage = await page.getByRole("region", { name: "Latest posts" }).getByRole("article").getByRole("heading").allInnerTexts();
    await page.getByRole("navigation", { name: "Latest posts pages" }).getByRole("link", { name: "Older posts" }).click();
    await expect(page).toHaveURL(/\/\?cursor=/);
    await expect(page.getByRole("heading", { level: 1, name: "Older posts" })).toBeVisible();
    const secondPage = await page.getByRole("article").getByRole("heading").allInnerTexts();
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((title) => firstPage.includes(title))).toEqual([]);
    // Bob's eleven posts are all on the first two pages, after Ada's two.
    const series = Array.from({ length: SERIES }, (_, i) => `Harbour log ${i + 1}`);
    expect(series.filter((title) => !firstPage.includes(title) && !secondPage.includes(title))).toEqual([]);
    await page.getByRole("link", { name: "Newest posts" }).click();
    await expect(page).toHaveURL(/\/$/);
    await context.close();
  });

  test("a made-up cursor is a 404, not an error", async ({ page }) => {
    expect((await page.goto("/?cursor=not-a-cursor"))?.status()).toBe(404);
  });
});

test.describe("A post page", () => {
  test.beforeEach(async ({ page }) => {
    await page.route(COVER_URL, (route) => route.fulfill({ contentType: "image/svg+xml", body: COVER_SVG }));
  });

  test("shows the post for long-form reading: byline, tags, cover, contents, code, table, footnotes", async ({ page }) => {
    const response = await page.goto(fixture.essayPath);
    expect(response?.status()).toBe(200);
    const article = page.getByRole("article");
    await expect(article.getByRole("heading", { level: 1, name: "A field guide to slow reading" })).toBeVisible();
    await expect(article.getByRole("link", { name: fixture.ada.displayName }).first()).toHaveAttribute("href", `/@${fixture.ada.username}`);
    await expect(article.locator("time").first()).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T/);
    await expect(article.getByText(/\d+ min read/)).toBeVisible();
    await expect(article.getByRole("list", { name: "Tags" }).getByRole("link", { name: essayTag, exact: true })).toHaveAttribute("href", `/tags/${essayTag}`);

    // The cover is decorative (the title says what it shows), scaled to the column.
    const cover = article.locator(`img[src="${COVER_URL}"]`);
    await expect(cover).toHaveAttribute("alt", "");
    await expect.poll(() => cover.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    // Three headings or more: a table of contents whose links reach the headings.
    const toc = page.getByRole("navigation", { name: "On this page" });
    await expect(toc.getByRole("link")).toHaveText(["Why slow reading matters", "A small experiment", "Tools of the trade", "Closing thoughts", "Footnotes"]);
    const target = await toc.getByRole("link", { name: "Tools of the trade" }).getAttribute("href");
    expect(target).toBe("#user-content-tools-of-the-trade");
    await expect(page.locator(target!)).toHaveText("Tools of the trade");
    await toc.getByRole("link", { name: "Tools of the trade" }).click();
    await expect(page).toHaveURL(/#user-content-tools-of-the-trade$/);
    await expect(page.locator(target!)).toBeInViewport();

    // Syntax highlighting from the render pipeline, coloured by the theme stylesheet.
    const keyword = article.locator("pre code .hljs-keyword").first();
    await expect(keyword).toHaveText("export");
    await expect(keyword).toHaveCSS("color", "rgb(255, 123, 114)");
    await expect(article.getByRole("table").getByRole("columnheader", { name: "Words per minute" })).toBeVisible();
    await expect(article.locator("blockquote")).toContainText("The art of reading");
    await expect(article.locator("section[data-footnotes]")).toContainText("Footnotes, too, deserve to be read slowly.");

    // The text column keeps a readable measure and leading.
    const prose = article.locator(".prose");
    const { width, charWidth, lineHeight, fontSize } = await prose.evaluate((el) => {
      const probe = document.createElement("span");
      probe.textContent = "0".repeat(100);
      probe.style.cssText = "position: absolute; white-space: nowrap; visibility: hidden";
      el.appendChild(probe);
      const result = {
        width: el.getBoundingClientRect().width,
        charWidth: probe.getBoundingClientRect().width / 100,
        lineHeight: parseFloat(getComputedStyle(el).lineHeight),
        fontSize: parseFloat(getComputedStyle(el).fontSize),
      };
      probe.remove();
      return result;
    });
    // 60 probe characters wide (--measure: 60ch), which holds 65–75 characters of prose a line
    // (reading-comfort.spec.ts counts those).
    expect(width / charWidth).toBeGreaterThan(59);
    expect(width / charWidth).toBeLessThanOrEqual(75);
    expect(lineHeight / fontSize).toBeCloseTo(1.7, 1);

    // Who wrote it, and where to go next.
    const card = page.getByRole("region", { name: fixture.ada.displayName, exact: true });
    await expect(card).toContainText("Written by");
    await expect(card).toContainText("Writes about slow reading and the craft of making things last.");
    const more = page.getByRole("navigation", { name: `More from ${fixture.ada.displayName}` });
    await expect(more.getByRole("link", { name: /Notes on a quiet harbour/ })).toHaveAttribute("href", fixture.notePath);
  });

  test("describes itself to machines: canonical URL, Open Graph, Twitter card, RSS and JSON-LD", async ({ page, baseURL }) => {
    await page.goto(fixture.essayPath);
    const url = `${baseURL}${fixture.essayPath}`;
    await expect(page).toHaveTitle(/^A field guide to slow reading · InkWell$/);
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", url);
    await expect(page.locator('meta[property="og:type"]')).toHaveAttribute("content", "article");
    await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", "A field guide to slow reading");
    await expect(page.locator('meta[property="og:url"]')).toHaveAttribute("content", url);
    await expect(page.locator('meta[property="og:image"]')).toHaveAttribute("content", COVER_URL);
    await expect(page.locator('meta[property="article:published_time"]')).toHaveAttribute("content", /^\d{4}-/);
    await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute("content", "summary_large_image");
    await expect(page.locator('link[rel="alternate"][type="application/rss+xml"]')).toHaveAttribute("href", `${baseURL}/@${fixture.ada.username}/feed.xml`);

    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}") as Record<string, unknown>;
    expect(jsonLd).toMatchObject({
      "@context": "https://schema.org",
      "@type": "BlogPosting",
      headline: "A field guide to slow reading",
      url,
      image: [COVER_URL],
      author: { "@type": "Person", name: fixture.ada.displayName, url: `${baseURL}/@${fixture.ada.username}` },
    });
    expect(Date.parse(jsonLd.datePublished as string)).not.toBeNaN();
  });

  test("a post first published elsewhere names that address as canonical", async ({ page }) => {
    await page.goto(fixture.notePath);
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", "https://elsewhere.example/quiet-harbour");
    // A short post gets no table of contents.
    await expect(page.getByRole("navigation", { name: "On this page" })).toHaveCount(0);
    await expect(page.getByRole("navigation", { name: `More from ${fixture.ada.displayName}` }).getByRole("link", { name: /A field guide/ })).toHaveAttribute(
      "href",
      fixture.essayPath,
    );
  });

  test("reads without JavaScript", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(fixture.essayPath);
    await expect(page.getByRole("heading", { level: 1, name: "A field guide to slow reading" })).toBeVisible();
    await expect(page.getByText("Read like you have time, because you do.")).toBeVisible();
    await page.getByRole("navigation", { name: "On this page" }).getByRole("link", { name: "Closing thoughts" }).click();
    await expect(page).toHaveURL(/#user-content-closing-thoughts$/);
    await context.close();
  });

  test("drafts and unknown posts are 404", async ({ page }) => {
    expect((await page.goto(fixture.draftPath))?.status()).toBe(404);
    expect((await page.goto(`/@${fixture.ada.username}/no-such-post`))?.status()).toBe(404);
    expect((await page.goto("/@nobody_by_this_name_at_all"))?.status()).toBe(404);
  });

  test("keeps working after its slug changes: the old address answers with a permanent redirect", async ({ browser, page }) => {
    const context = await browser.newContext();
    const adaPage = await context.newPage();
    await adaPage.goto("/sign-in");
    await adaPage.getByLabel("Email").fill(fixture.ada.email);
    await adaPage.getByLabel("Password").fill(fixture.ada.password);
    await adaPage.getByRole("button", { name: "Sign in" }).click();
    await expect(adaPage).toHaveURL(/\/dashboard$/);
    const { items } = await callTrpc<{ items: { id: string; title: string; version: number }[] }>(adaPage, "posts.list", { limit: 50 }, "query");
    const note = items.find((post) => post.title === "Notes on a quiet harbour")!;
    await callTrpc(adaPage, "posts.update", { id: note.id, version: note.version, slug: `quiet-harbour-${run}` }, "mutation");
    await callTrpc(adaPage, "posts.publish", { id: note.id }, "mutation"); // Update: the new address goes live
    const moved = await waitUntilPublic(adaPage, note.id);
    await context.close();

    const newPath = `/@${fixture.ada.username}/${moved.slug}`;
    const response = await page.request.get(fixture.notePath, { maxRedirects: 0 });
    expect([301, 308]).toContain(response.status());
    expect(new URL(response.headers().location ?? "", "http://x").pathname).toBe(newPath);
    // The @ written as %40 too, and readers following the old link land on the post.
    const encoded = await page.request.get(fixture.notePath.replace("/@", "/%40"), { maxRedirects: 0 });
    expect([301, 308]).toContain(encoded.status());
    await page.goto(fixture.notePath);
    await expect(page).toHaveURL(newPath);
    await expect(page.getByRole("heading", { level: 1, name: "Notes on a quiet harbour" })).toBeVisible();
    fixture.notePath = newPath;
  });
});

test.describe("An author page", () => {
  test("shows the writer's profile and published posts, not drafts", async ({ page, baseURL }) => {
    const response = await page.goto(`/@${fixture.ada.username}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: fixture.ada.displayName })).toBeVisible();
    await expect(page.getByText(`@${fixture.ada.username} · Writing since`)).toBeVisible();
    await expect(page.getByText("Writes about slow reading and the craft of making things last.")).toBeVisible();
    const posts = page.getByRole("region", { name: "Published posts" });
    await expect(posts.getByRole("article").getByRole("heading")).toHaveText(["Notes on a quiet harbour", "A field guide to slow reading"]);
    await expect(posts.getByText("An unfinished thought")).toHaveCount(0);
    await expect(page.locator('link[rel="alternate"][type="application/rss+xml"]')).toHaveAttribute("href", `${baseURL}/@${fixture.ada.username}/feed.xml`);
    await expect(page.getByRole("link", { name: `Follow ${fixture.ada.displayName} by RSS` })).toHaveAttribute("href", `/@${fixture.ada.username}/feed.xml`);
  });

  test("pages through a long list of posts, without JavaScript", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/%40${fixture.bob.username}`);
    await expect(page.getByRole("heading", { level: 1, name: fixture.bob.displayName })).toBeVisible();
    await expect(page.getByRole("article")).toHaveCount(10);
    await page.getByRole("link", { name: "Older posts" }).click();
    await expect(page).toHaveURL(new RegExp(`/@${fixture.bob.username}\\?cursor=`));
    await expect(page.getByRole("article")).toHaveCount(SERIES - 10);
    await expect(page.getByRole("link", { name: "Older posts" })).toHaveCount(0);
    await context.close();
  });
});

test.describe("Tag pages", () => {
  test("list the posts with the tag, newest first, and page through them", async ({ page }) => {
    await page.goto(`/tags/${seriesTag}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`#${seriesTag}`);
    await expect(page.getByRole("article")).toHaveCount(10);
    const first = await page.getByRole("article").getByRole("heading").allInnerTexts();
    await page.getByRole("link", { name: "Older posts" }).click();
    await expect(page).toHaveURL(new RegExp(`/tags/${seriesTag}\\?cursor=`));
    await expect(page.getByRole("article")).toHaveCount(SERIES - 10);
    const rest = await page.getByRole("article").getByRole("heading").allInnerTexts();
    expect([...first, ...rest].sort()).toEqual(Array.from({ length: SERIES }, (_, i) => `Harbour log ${i + 1}`).sort());
  });

  test("are reached from a post's tags; only published posts are listed", async ({ page }) => {
    await page.goto(fixture.essayPath);
    await page.getByRole("article").getByRole("link", { name: essayTag, exact: true }).click();
    await expect(page).toHaveURL(`/tags/${essayTag}`);
    await expect(page.getByRole("article").getByRole("heading")).toHaveText(["Notes on a quiet harbour", "A field guide to slow reading"]);
  });

  test("are 404 for a tag no published post has, and the tag index lists tags with counts", async ({ page }) => {
    expect((await page.goto(`/tags/never-used-${run}`))?.status()).toBe(404);
    await page.goto("/tags");
    await expect(page.getByRole("heading", { level: 1, name: "Tags" })).toBeVisible();
    await expect(page.getByRole("link", { name: new RegExp(`${seriesTag}\\s*${SERIES} posts`) })).toHaveAttribute("href", `/tags/${seriesTag}`);
    await expect(page.getByRole("link", { name: new RegExp(`${essayTag}\\s*2 posts`) })).toBeVisible();
  });
});

test.describe("Search", () => {
  test("is linked from the header; an empty query shows the form only", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("banner").getByRole("link", { name: "Search" }).click();
    await expect(page).toHaveURL("/search");
    await expect(page.getByRole("search").getByRole("searchbox", { name: "Search posts" })).toBeVisible();
    await expect(page.getByRole("region", { name: /results/i })).toHaveCount(0);
  });

  test("finds a post by a word of its body, with the match highlighted, and not a draft", async ({ page }) => {
    await page.goto("/search");
    await page.getByRole("searchbox", { name: "Search posts" }).fill(bodyWord);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(`/search?q=${bodyWord}`);
    const results = page.getByRole("region", { name: `Results for “${bodyWord}”` });
    await expect(results.getByRole("article")).toHaveCount(1);
    await expect(results.getByRole("link", { name: "A field guide to slow reading" })).toHaveAttribute("href", fixture.essayPath);
    await expect(results.locator("mark")).toHaveText(bodyWord);

    await page.goto(`/search?q=${draftWord}`);
    await expect(page.getByRole("heading", { level: 2, name: "No results" })).toBeVisible();
    await expect(page.getByRole("article")).toHaveCount(0);
  });

  test("pages through results by offset, and the form works without JavaScript", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/search");
    await page.getByRole("searchbox", { name: "Search posts" }).fill(seriesWord);
    await page.getByRole("searchbox", { name: "Search posts" }).press("Enter");
    await expect(page).toHaveURL(`/search?q=${seriesWord}`);
    await expect(page.getByRole("article")).toHaveCount(10);
    await page.getByRole("link", { name: "More results" }).click();
    await expect(page).toHaveURL(`/search?q=${seriesWord}&offset=10`);
    await expect(page.getByRole("article")).toHaveCount(SERIES - 10);
    await expect(page.getByRole("link", { name: "More results" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Previous results" })).toHaveAttribute("href", `/search?q=${seriesWord}`);
    await context.close();
  });
});
