import { expect, test, type Page } from "@playwright/test";
import { publishPost, signUpOnce, type StorageState, type Writer } from "./helpers";

// Reading and finding, at a desktop and a phone size: search by word beginnings, author and tag; dark
// mode from the system and from the toggle; a comfortable measure; the contents, tags and cover not
// pushing the text off a phone's first screen; contents links that land below the header; copy link;
// touch-sized targets.

const run = Date.now().toString(36);
const COVER_URL = "https://images.example.test/comfort-cover.svg";
const paragraph =
  "The morning came in slowly over the roofs, and the kettle sang its small song while the city woke, street by street, " +
  "window by window, until the whole valley hummed with the ordinary noise of people starting their day again.";
const markdown = [
  paragraph,
  "",
  "## The first part",
  "",
  paragraph,
  "",
  "## The second part",
  "",
  ...Array.from({ length: 12 }, () => `${paragraph}\n`),
  "## The third part",
  "",
  ...Array.from({ length: 12 }, () => `${paragraph}\n`),
].join("\n");

let writer: Writer;
let state: StorageState;
let postPath = "";
const title = `Release diary ${run}`;

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  ({ writer, state } = await signUpOnce(browser, baseURL ?? "", "comfort"));
  const context = await browser.newContext({ baseURL, storageState: state });
  const page = await context.newPage();
  await page.goto("/dashboard");
  const post = await publishPost(page, writer, { title, markdown, tags: [`diary-${run}`, "mornings", "tea"], coverImageUrl: COVER_URL });
  postPath = post.path;
  await context.close();
});

async function serveCover(page: Page) {
  await page.route(COVER_URL, (route) =>
    route.fulfill({ contentType: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1600 1000"><rect width="1600" height="1000" fill="#86bdb6"/></svg>' }),
  );
}

/** Relative luminance of a computed `rgb(…)` colour, 0 (black) to 1 (white). */
async function backgroundLuminance(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.createElement("canvas").getContext("2d");
    if (!canvas) return -1;
    canvas.fillStyle = getComputedStyle(document.body).backgroundColor;
    canvas.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0] = canvas.getImageData(0, 0, 1, 1).data;
    const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  });
}

const viewports = [
  { name: "desktop", viewport: { width: 1280, height: 800 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
] as const;

for (const { name, viewport } of viewports) {
  test.describe(`Reading on a ${name}`, () => {
    test.use({ viewport });

    test("search finds a post by the beginning of a word, by its author's name and by its tag", async ({ page }) => {
      for (const q of [`releas ${run}`, `${writer.displayName.slice(0, 5)} ${run.slice(0, -1)}`, `diary-${run}`]) {
        await page.goto(`/search?q=${encodeURIComponent(q)}`);
        await expect(page.getByRole("heading", { name: `Results for “${q}”` })).toBeVisible();
        await expect(page.getByRole("link", { name: title })).toBeVisible();
      }
    });

    test("the text holds about 65–75 characters a line", async ({ page }) => {
      await page.goto(postPath);
      const charactersPerLine = await page.locator(".prose > p").first().evaluate((p) => {
        // Count where the lines of the first paragraph break: the characters on its first line.
        const text = p.firstChild;
        if (!text || !text.textContent) return 0;
        const range = document.createRange();
        const firstTop = (() => {
          range.setStart(text, 0);
          range.setEnd(text, 1);
          return range.getBoundingClientRect().top;
        })();
        for (let i = 1; i < text.textContent.length; i++) {
          range.setStart(text, i);
          range.setEnd(text, i + 1);
          if (range.getBoundingClientRect().top > firstTop + 2) return i;
        }
        return text.textContent.length;
      });
      if (name === "desktop") {
        expect(charactersPerLine).toBeGreaterThanOrEqual(65);
        expect(charactersPerLine).toBeLessThanOrEqual(75);
      } else {
        expect(charactersPerLine).toBeLessThanOrEqual(75);
      }
    });

    test("contents links land with the heading in view, not under the header", async ({ page }) => {
      await serveCover(page);
      await page.goto(postPath);
      const contents = page.getByRole("navigation", { name: "On this page" }).filter({ visible: true });
      if (name === "phone") await contents.getByText("On this page").click(); // collapsed on small screens
      await contents.getByRole("link", { name: "The third part" }).click();
      const heading = page.getByRole("heading", { level: 2, name: "The third part" });
      await expect(heading).toBeInViewport();
      const covered = await heading.evaluate((element) => {
        const box = element.getBoundingClientRect();
        const top = document.elementFromPoint(box.left + 4, box.top + 4);
        return !(top && element.contains(top));
      });
      expect(covered).toBe(false);
    });

    test("copy link copies the post's address", async ({ page, context }) => {
      await context.grantPermissions(["clipboard-read", "clipboard-write"]);
      await page.goto(postPath);
      await page.getByRole("button", { name: "Copy link" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Link copied." })).toBeVisible();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(new RegExp(`${postPath.replaceAll("/", "\\/")}$`));
    });

    test("dark mode follows the system, the toggle overrides it, and the choice holds from the first paint", async ({ page }) => {
      await page.emulateMedia({ colorScheme: "dark" });
      await page.goto(postPath);
      expect(await backgroundLuminance(page)).toBeLessThan(0.05);
      await page.emulateMedia({ colorScheme: "light" });
      expect(await backgroundLuminance(page)).toBeGreaterThan(0.8);

      const toggle = page.getByRole("button", { name: "Dark mode" });
      await expect(toggle).toHaveAttribute("aria-pressed", "false");
      await toggle.click();
      await expect(toggle).toHaveAttribute("aria-pressed", "true");
      expect(await backgroundLuminance(page)).toBeLessThan(0.05);

      // On the next page the choice is applied before the body is even parsed: no flash of light.
      await page.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (!document.body) return;
          (window as { themeAtBody?: string }).themeAtBody = document.documentElement.dataset.theme ?? "";
          observer.disconnect();
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto("/search");
      expect(await page.evaluate(() => (window as { themeAtBody?: string }).themeAtBody)).toBe("dark");
      expect(await backgroundLuminance(page)).toBeLessThan(0.05);

      // Switching back to what the system shows follows the system again.
      await page.getByRole("button", { name: "Dark mode" }).click();
      expect(await backgroundLuminance(page)).toBeGreaterThan(0.8);
      await page.emulateMedia({ colorScheme: "dark" });
      await page.reload();
      expect(await backgroundLuminance(page)).toBeLessThan(0.05);
    });
  });
}

test.describe("Without JavaScript", () => {
  test.use({ javaScriptEnabled: false, colorScheme: "dark" });

  test("the page follows the system's dark mode", async ({ page }) => {
    await page.goto(postPath);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe("rgb(251, 250, 247)");
    await expect(page.getByRole("button", { name: "Dark mode" })).toHaveCount(0);
  });
});

test.describe("On a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the post's first paragraph starts on the first screen, after title, tags, cover and a collapsed contents list", async ({ page }) => {
    await serveCover(page);
    await page.goto(postPath);
    const contents = page.getByRole("navigation", { name: "On this page" }).filter({ visible: true });
    await expect(contents.getByRole("link", { name: "The first part" })).toBeHidden();
    await expect(page.getByRole("article").locator(".prose > p").first()).toBeInViewport();
  });

  test("signed in, the header takes at most two rows and scrolls away instead of covering the page", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, storageState: state, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto("/dashboard");
    const header = page.getByRole("banner");
    const box = await header.boundingBox();
    expect(box?.height).toBeLessThanOrEqual(2 * 44 + 24);
    await page.goto(postPath);
    await page.mouse.wheel(0, 1500);
    await expect(header).not.toBeInViewport();
    await context.close();
  });

  test("targets are at least 44 px: formatting buttons, tag chips, filters, header links", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, storageState: state, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const heights = async (locator: ReturnType<Page["locator"]>) => {
      const boxes = await Promise.all((await locator.all()).map((item) => item.boundingBox()));
      return boxes.map((b) => b?.height ?? 0);
    };
    await page.goto(postPath);
    for (const height of await heights(page.getByRole("list", { name: "Tags" }).getByRole("link"))) expect(height).toBeGreaterThanOrEqual(44);
    await page.goto("/dashboard");
    for (const height of await heights(page.getByRole("group", { name: "Show posts" }).getByRole("button"))) expect(height).toBeGreaterThanOrEqual(44);
    for (const height of await heights(page.getByRole("navigation", { name: "Main" }).getByRole("link"))) expect(height).toBeGreaterThanOrEqual(44);
    // Every filter is in sight: none is clipped off the side of the screen.
    for (const filter of await page.getByRole("group", { name: "Show posts" }).getByRole("button").all()) await expect(filter).toBeInViewport({ ratio: 1 });
    await page.goto("/editor/new");
    const toolbar = page.getByRole("toolbar", { name: "Formatting" }).getByRole("button");
    expect(await toolbar.count()).toBeGreaterThan(5);
    for (const height of await heights(toolbar)) expect(height).toBeGreaterThanOrEqual(44);
    await context.close();
  });
});
