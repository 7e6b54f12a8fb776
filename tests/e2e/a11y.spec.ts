import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { newWriter, publishPost, signUpElsewhere, type Writer } from "./helpers";

// axe-core on every kind of page, as a reader and as a signed-in writer: no serious or critical
// violation. (Moderate and minor findings are printed, not failed.)

const run = Date.now().toString(36);
const tag = `a11y-${run}`;
const COVER_URL = "https://images.example.test/a11y-cover.svg";

const markdown = [
  "An opening paragraph with a [link](https://example.com) and some `inline code`.",
  "",
  "## A section",
  "",
  "Text with a footnote.[^note]",
  "",
  "### A subsection",
  "",
  "> A quotation, set apart.",
  "",
  "```js",
  "const answer = 42; // a comment",
  "console.log(`the answer is ${answer}`);",
  "```",
  "",
  "| Column | Value |",
  "| --- | ---: |",
  "| One | 1 |",
  "",
  "- [x] done",
  "- [ ] to do",
  "",
  "## Another section",
  "",
  "The end.",
  "",
  "[^note]: The footnote.",
].join("\n");

let writer: Writer;
let writerPage: Page;
let postPath = "";
let editorPath = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  writer = newWriter("axe");
  writerPage = await (await browser.newContext()).newPage();
  await signUpElsewhere(writerPage, writer);
  const post = await publishPost(writerPage, writer, { title: `An accessible post ${run}`, markdown, tags: [tag], coverImageUrl: COVER_URL });
  postPath = post.path;
  editorPath = `/editor/${post.id}`;
});

test.afterAll(async () => {
  await writerPage.context().close();
});

async function expectNoSeriousViolations(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response, path).not.toBeNull();
  // Client-rendered parts (the dashboard's list, the editor) are checked once they have rendered.
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  const { violations } = await new AxeBuilder({ page }).analyze();
  const minor = violations.filter((v) => v.impact !== "serious" && v.impact !== "critical");
  if (minor.length > 0) console.log(`${path}: ${minor.map((v) => `${v.id} (${v.impact})`).join(", ")}`);
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""} ${n.html}`).slice(0, 5) }));
  // Soft: every page is checked and reported, even after one fails.
  expect.soft(serious, `${path}: serious or critical accessibility violations`).toEqual([]);
}

test.describe("Accessibility (axe-core)", () => {
  // Several pages per test, each analysed in full: minutes on a busy machine.
  test.beforeEach(() => test.setTimeout(180_000));
  test("reading pages, as an anonymous reader", async ({ page }) => {
    await page.route(COVER_URL, (route) =>
      route.fulfill({ contentType: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 8"><rect width="16" height="8" fill="#86bdb6"/></svg>' }),
    );
    const paths = ["/", postPath, `/@${writer.username}`, `/tags/${tag}`, "/tags", "/search", `/search?q=footnote`, "/no/such/page", `/@${writer.username}/no-such-post`];
    for (const path of paths) await test.step(path, () => expectNoSeriousViolations(page, path));
  });

  test("sign-in, sign-up and the pages of mailed links", async ({ page }) => {
    const token = "a".repeat(43); // well-formed, unknown: the pages show their forms
    const paths = ["/sign-in", "/sign-up", "/forgot-password", `/verify-email?token=${token}`, `/reset-password?token=${token}`, `/confirm-email?token=${token}`, "/verify-email"];
    for (const path of paths) await test.step(path, () => expectNoSeriousViolations(page, path));
  });

  test("the writing side, as a signed-in writer", async () => {
    for (const path of ["/dashboard", "/editor/new", editorPath, "/dashboard/settings", "/"]) {
      await test.step(path, () => expectNoSeriousViolations(writerPage, path));
    }
  });

  // Dark mode has colours of its own (contrast), and a phone a layout of its own (the header, the
  // collapsed contents, the editor's bar).
  for (const { name, viewport } of [
    { name: "desktop", viewport: { width: 1280, height: 800 } },
    { name: "phone", viewport: { width: 390, height: 844 } },
  ]) {
    test(`in dark mode on a ${name}`, async ({ browser }) => {
      const context = await browser.newContext({ viewport, colorScheme: "dark", storageState: await writerPage.context().storageState() });
      const page = await context.newPage();
      await page.route(COVER_URL, (route) =>
        route.fulfill({ contentType: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 8"><rect width="16" height="8" fill="#86bdb6"/></svg>' }),
      );
      for (const path of ["/", postPath, `/tags/${tag}`, `/search?q=footnote`, "/dashboard", editorPath, "/dashboard/settings"]) {
        await test.step(path, () => expectNoSeriousViolations(page, path));
      }
      await context.close();
    });
  }
});
