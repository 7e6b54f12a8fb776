import AxeBuilder from "@axe-core/playwright";
import { mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";
import { expect, test, type Page } from "@playwright/test";
import { parse as parseYaml } from "yaml";
import yauzl from "yauzl";
import { readOutbox } from "../../scripts/outbox";
import { traversalZip } from "../fixtures/portability/archives";
import { newWriter, outboxDir, signUpElsewhere, type Writer } from "./helpers";

// Settings → Your data, as a writer uses it: an import from WordPress and from Ghost (dry run, then
// live progress), the imported posts on the dashboard and on the public pages; hostile uploads; the
// export whose mailed link downloads the zip; and the account deletion, after which the pages are gone.

const fixtures = path.join(import.meta.dirname, "../fixtures/portability");

let writer: Writer;
let page: Page;
let scratch: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  scratch = await mkdtemp(path.join(tmpdir(), "inkwell-e2e-portability-"));
  writer = newWriter("porter");
  page = await (await browser.newContext()).newPage();
  await signUpElsewhere(page, writer);
});

test.afterAll(async () => {
  await page.context().close();
  await rm(scratch, { recursive: true, force: true });
});

/** Fails on serious or critical axe violations of the whole page. */
async function expectPageAccessible(): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `${page.url()}: serious or critical accessibility violations`).toEqual([]);
}

const importForm = () => page.getByRole("form", { name: "Import posts" });

/** Chooses a file and sends it for the dry run. */
async function uploadForCheck(file: string): Promise<void> {
  await importForm().getByLabel("Export file").setInputFiles(file);
  await importForm().getByRole("button", { name: "Upload and check" }).click();
}

/** Uploads an export, checks the dry-run summary, imports, and follows the progress until it is done. */
async function importThroughSettings(file: string, summary: RegExp, posts: number): Promise<void> {
  await uploadForCheck(file);
  const status = importForm().getByRole("status");
  await expect(status).toContainText(summary);
  await expectPageAccessible();
  await importForm().getByRole("button", { name: `Import ${posts} posts` }).click();
  // The page polls the import while the worker runs it: no reload until it says it is done.
  const progress = importForm().getByRole("progressbar", { name: `Done: ${posts} posts imported.` });
  await expect(progress).toBeVisible({ timeout: 30_000 });
  await expect(progress).toHaveJSProperty("value", posts);
  await expect(progress).toHaveJSProperty("max", posts);
}

/** Waits (polling, no fixed sleep) until the worker has rendered a public page, then opens it. */
async function openWhenPublic(pathname: string): Promise<void> {
  await expect.poll(async () => (await page.request.get(pathname)).status(), { timeout: 30_000, message: `${pathname} is public` }).toBe(200);
  await page.goto(pathname);
}

test("imports a WordPress file and a Ghost export after a dry run, and readers find the posts rendered", async () => {
  test.setTimeout(180_000);
  await page.goto("/dashboard/settings");
  await expect(page.getByRole("heading", { level: 2, name: "Your data" })).toBeVisible();
  await expectPageAccessible();

  await importThroughSettings(path.join(fixtures, "wordpress.xml"), /WordPress export: 2 posts \(1 published post, 1 draft, 0 scheduled\), 2 skipped, 1 post with embeds left out\./, 2);
  await importThroughSettings(path.join(fixtures, "ghost-5.json"), /Ghost export: 3 posts \(2 published posts, 1 draft, 0 scheduled\), 1 skipped, 2 posts with embeds left out\./, 3);

  await page.goto("/dashboard");
  const yourPosts = page.getByRole("list", { name: "Your posts" });
  for (const title of ["Café notes & tips", "Classic editor draft", "Tables, code and footnotes", "Lexical only — émoji 🎉", "Untitled"]) {
    await expect(yourPosts.getByRole("link", { name: title, exact: true })).toBeVisible();
  }
  await expect(yourPosts.getByRole("listitem")).toHaveCount(5);

  await openWhenPublic(`/@${writer.username}/tables-code-footnotes`);
  const article = page.getByRole("article");
  await expect(article.getByRole("heading", { level: 1, name: "Tables, code and footnotes" })).toBeVisible();
  await expect(article.getByRole("table")).toBeVisible();
  await expect(article.locator("code.language-python, code[class*='language-python']").first()).toBeVisible();
  await expect(article.locator("script, iframe, [onerror]")).toHaveCount(0);
  await expectPageAccessible();

  await openWhenPublic(`/@${writer.username}/cafe-notes`);
  await expect(page.getByRole("heading", { level: 1, name: "Café notes & tips" })).toBeVisible();
  await expect(page.getByRole("article").getByRole("link", { name: "a link" })).toHaveAttribute("href", "https://example.com");
  await expect(page.getByRole("article").locator("iframe, [onclick]")).toHaveCount(0);

  await page.goto(`/@${writer.username}`);
  await expect(page.getByRole("link", { name: "Tables, code and footnotes" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Café notes & tips" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Classic editor draft" })).toHaveCount(0);
});

test("says clearly why a hostile archive or a file over the limit is refused", async () => {
  await page.goto("/dashboard/settings");
  const traversal = path.join(scratch, "traversal.zip");
  await writeFile(traversal, await traversalZip());
  await uploadForCheck(traversal);
  await expect(importForm().getByRole("alert")).toContainText(/unsafe path/);
  await expect(importForm().getByRole("button", { name: /^Import \d/ })).toHaveCount(0);

  // A sparse file: 101 MB on paper, nothing on disk. The form refuses it without sending it.
  const huge = path.join(scratch, "huge.xml");
  await writeFile(huge, "");
  await truncate(huge, 101 * 1024 ** 2);
  await uploadForCheck(huge);
  await expect(importForm().getByRole("alert")).toHaveText("The file is larger than 100 MB, the largest import InkWell accepts.");
  await expectPageAccessible();
});

async function unzip(file: Buffer): Promise<Map<string, string>> {
  const zip = await yauzl.fromBufferPromise(file, { lazyEntries: true });
  const files = new Map<string, string>();
  for await (const entry of zip.eachEntry()) files.set(entry.fileName, (await buffer(await zip.openReadStreamPromise(entry))).toString("utf8"));
  return files;
}

test("Download everything mails a link that downloads a zip of Markdown files and Ghost JSON", async () => {
  await page.goto("/dashboard/settings");
  const exportPanel = page.getByRole("region", { name: "Download everything" });
  await exportPanel.getByRole("button", { name: "Export my posts" }).click();
  await expect(exportPanel.getByRole("status")).toHaveText("Ready: 5 posts. Check your email for the download link.", { timeout: 30_000 });
  await expectPageAccessible();

  let link: string | null | undefined;
  await expect.poll(async () => (link = (await readOutbox(outboxDir())).filter((m) => m.to === writer.email && m.kind === "export-ready").at(-1)?.link), { timeout: 30_000 }).toBeTruthy();
  const href = new URL(link ?? "");
  // Opened signed out (another browser), the link asks for a sign-in on this site and comes back to itself.
  const signedOut = await (await page.context().browser()!.newContext({ baseURL: new URL(page.url()).origin })).newPage();
  await signedOut.goto(href.pathname + href.search);
  await expect(signedOut).toHaveURL(new URL(`/sign-in?callbackUrl=${encodeURIComponent(href.pathname + href.search)}`, page.url()).href);
  await signedOut.context().close();
  const download = page.waitForEvent("download");
  await page.evaluate((target) => {
    window.location.href = target;
  }, href.pathname + href.search);
  const saved = await (await download).path();
  const files = await unzip(await readFile(saved));
  expect([...files.keys()].filter((name) => name.endsWith(".md")).sort()).toEqual([
    "posts/cafe-notes.md",
    "posts/classic-editor-draft.md",
    "posts/lexical-only.md",
    "posts/tables-code-footnotes.md",
    "posts/untitled.md",
    "profile.md",
  ]);
  const [, frontMatter, body] = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/.exec(files.get("posts/cafe-notes.md") ?? "") ?? [];
  expect(parseYaml(frontMatter ?? "")).toMatchObject({ title: "Café notes & tips", slug: "cafe-notes", status: "published", date: "2020-05-01T10:00:00.000Z" });
  expect(body).toMatch(/^First paragraph with \[a link\]\(https:\/\/example\.com\)/);
  const ghost = JSON.parse(files.get("ghost.json") ?? "{}") as { db: [{ data: { posts: { slug: string }[] } }] };
  expect(ghost.db[0].data.posts.map((p) => p.slug).sort()).toEqual(["cafe-notes", "classic-editor-draft", "lexical-only", "tables-code-footnotes", "untitled"]);
});

test("deleting the account takes the password and the typed username, and the public pages answer 410 Gone", async () => {
  await page.goto("/dashboard/settings");
  const form = page.getByRole("form", { name: "Delete your account" });
  await form.getByLabel("Password").fill("not my password");
  await form.getByLabel(`Type your username, ${writer.username}, to confirm`).fill(writer.username);
  await form.getByRole("button", { name: "Delete my account" }).click();
  await expect(form.getByLabel("Password")).toHaveAccessibleDescription(/password/i);

  await form.getByLabel("Password").fill(writer.password);
  await form.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/$/);

  for (const pathname of [`/@${writer.username}`, `/@${writer.username}/tables-code-footnotes`, `/@${writer.username}/feed.xml`]) {
    expect((await page.request.get(pathname)).status(), pathname).toBe(410);
  }
  await page.goto(`/@${writer.username}/cafe-notes`);
  await expect(page.getByRole("heading", { level: 1, name: "Gone" })).toBeVisible();
  await expectPageAccessible();
});
