import AxeBuilder from "@axe-core/playwright";
import { randomInt } from "node:crypto";
import { request as httpRequest } from "node:http";
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { waitForMailToken } from "../../scripts/outbox";

// Writers for end-to-end specs: unique per run, created through the real sign-up form.

export interface Writer {
  displayName: string;
  username: string;
  email: string;
  password: string;
}

let counter = 0;

/** A writer nobody has registered yet (usernames: 3–30 of a-z, 0-9, _). */
export function newWriter(prefix: string): Writer {
  counter += 1;
  const unique = `${Date.now().toString(36)}${counter}${Math.floor(Math.random() * 1296).toString(36)}`;
  const username = `${prefix}_${unique}`.slice(0, 30);
  const name = prefix.charAt(0).toUpperCase() + prefix.slice(1);
  return {
    displayName: `${name} Writer`,
    username,
    email: `${username}@example.test`,
    password: "correct horse battery staple",
  };
}

/** This run's mail outbox (playwright.config.ts makes it; the server's worker writes into it). */
export function outboxDir(): string {
  const dir = process.env.E2E_MAIL_OUTBOX_DIR;
  if (!dir) throw new Error("E2E_MAIL_OUTBOX_DIR is not set (playwright.config.ts sets it)");
  return dir;
}

/** The token of the newest mail of `kind` to `email`, waiting for the worker to send it. */
export function mailedToken(email: string, kind: string, after?: Date): Promise<string> {
  return waitForMailToken(outboxDir(), email, kind, { after });
}

/** Fills and submits /sign-up and waits for "Check your email". */
export async function submitSignUp(page: Page, writer: Writer): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Display name").fill(writer.displayName);
  await page.getByLabel("Username").fill(writer.username);
  await page.getByLabel("Email").fill(writer.email);
  await page.getByLabel("Password").fill(writer.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
}

/**
 * users.register sent from a loopback address of its own (127.x.y.z), as another client would. The
 * server counts sign-ups per connection address (20 an hour): specs whose subject is not the sign-up
 * form use this, so the form's own tests, which share 127.0.0.1, stay within the limit.
 */
async function registerFromElsewhere(writer: Writer): Promise<void> {
  const url = new URL("/api/trpc/users.register", `http://127.0.0.1:${process.env.E2E_PORT || 3100}`);
  const body = JSON.stringify({ json: writer });
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": "application/json", origin: url.origin },
        localAddress: `127.${randomInt(1, 255)}.${randomInt(256)}.${randomInt(1, 255)}`,
        agent: false,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
  expect(status, "users.register").toBe(200);
}

/** Signs up through /sign-up, follows the link mailed to the writer, confirms, and waits for the dashboard. */
export async function signUp(page: Page, writer: Writer): Promise<void> {
  await submitSignUp(page, writer);
  await confirmSignUp(page, writer);
}

/** Signs up without the form (see registerFromElsewhere), then confirms through the mailed link in the browser. */
export async function signUpElsewhere(page: Page, writer: Writer): Promise<void> {
  await registerFromElsewhere(writer);
  await confirmSignUp(page, writer);
}

async function confirmSignUp(page: Page, writer: Writer): Promise<void> {
  const token = await mailedToken(writer.email, "verify-email");
  await page.goto(`/verify-email?token=${encodeURIComponent(token)}`);
  await page.getByLabel("Password").fill(writer.password);
  await page.getByRole("button", { name: "Confirm email address" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your posts" })).toBeVisible();
}

/** Signs out with the header's button and waits until the page is signed out. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
}

/** Signs in through /sign-in. */
export async function signIn(page: Page, writer: Pick<Writer, "email" | "password">): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(writer.email);
  await page.getByLabel("Password").fill(writer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** The editor's post status, in the writer's words ("Draft", "Processing…", "Live — 2 unpublished changes"). */
export function editorStatus(page: Page) {
  return page.getByRole("status", { name: "Post status" });
}

/** Publish or Update from the editor's sticky bar through the review sheet ("Publish…" / "Update post…", then confirm now). */
export async function confirmInReviewSheet(page: Page, action: "Publish" | "Update"): Promise<void> {
  await page.getByRole("button", { name: action === "Publish" ? "Publish…" : "Update post…" }).click();
  const sheet = page.getByRole("dialog", { name: new RegExp(`^${action} “`) });
  await expect(sheet).toBeVisible();
  await sheet.getByRole("button", { name: action === "Publish" ? "Publish now" : "Update now" }).click();
  await expect(sheet).toBeHidden();
}

/** Writes a new post in the editor and saves it; returns the editor URL once the page has moved there. */
export async function writePost(page: Page, post: { title: string; markdown: string }): Promise<string> {
  await page.goto("/editor/new");
  await page.getByLabel("Title").fill(post.title);
  await page.getByLabel("Body (Markdown)").fill(post.markdown);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/);
  await expect(page.getByText("All changes saved")).toBeVisible();
  return page.url();
}

/** Calls a tRPC procedure over HTTP with the page's cookies (as its writer), the way the app's client does. */
export async function callTrpc<T>(page: Page, path: string, input: unknown, type: "query" | "mutation"): Promise<T> {
  const origin = new URL(page.url()).origin;
  const url = `${origin}/api/trpc/${path}`;
  const response =
    type === "query"
      ? await page.request.get(`${url}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
      : await page.request.post(url, { data: { json: input }, headers: { origin } });
  expect(response.ok(), `${path} answered ${response.status()}: ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

export interface PostFields {
  title: string;
  markdown: string;
  tags?: string[];
  slug?: string;
  coverImageUrl?: string;
  coverImageAlt?: string;
  canonicalUrl?: string;
  excerpt?: string;
}

export interface SavedPost {
  id: string;
  slug: string;
  version: number;
}

/** Saves a draft through the API as the page's writer (the worker renders it like any other). */
export async function createDraft(page: Page, post: PostFields): Promise<SavedPost> {
  const created = await callTrpc<SavedPost>(page, "posts.create", { title: post.title, markdown: post.markdown }, "mutation");
  const { title: _title, markdown: _markdown, ...rest } = post;
  if (Object.keys(rest).length === 0) return created;
  return callTrpc<SavedPost>(page, "posts.update", { id: created.id, version: created.version, ...rest }, "mutation");
}

/** Publishes a post and waits (polling, no fixed sleep) until the worker has made its current version public. */
export async function publishAndWait(page: Page, post: SavedPost): Promise<SavedPost> {
  await callTrpc(page, "posts.publish", { id: post.id }, "mutation");
  return waitUntilPublic(page, post.id);
}

/** Waits until readers get the post's current version; returns it (with its current slug). */
export async function waitUntilPublic(page: Page, id: string): Promise<SavedPost> {
  type Own = SavedPost & { publishedVersion: number | null; status: string };
  const read = () => callTrpc<Own>(page, "posts.byId", { id }, "query");
  await expect
    .poll(async () => {
      const post = await read();
      return post.status === "ready" && post.publishedVersion === post.version;
    }, { timeout: 30_000, message: `post ${id} published` })
    .toBe(true);
  const { slug, version } = await read();
  return { id, slug, version };
}

/** Writes and publishes a post through the API; returns it with its public path. */
export async function publishPost(page: Page, writer: Pick<Writer, "username">, post: PostFields): Promise<SavedPost & { path: string }> {
  const published = await publishAndWait(page, await createDraft(page, post));
  return { ...published, path: `/@${writer.username}/${published.slug}` };
}

// --- The writer's desk (editor and dashboard specs) ---

/** A writer signed up once for a whole spec file, and the browser state (cookies) to start each test signed in. */
export async function signUpOnce(browser: Browser, baseURL: string, prefix: string): Promise<{ writer: Writer; state: StorageState }> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const writer = newWriter(prefix);
  await signUpElsewhere(page, writer);
  const state = await context.storageState();
  await context.close();
  return { writer, state };
}

export type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** The editor's Markdown body (CodeMirror's editable element, named by its label). */
export function editorBody(page: Page) {
  return page.getByLabel("Body (Markdown)");
}

/** The whole Markdown text in the editor (the DOM shows only the lines on screen). */
export async function editorMarkdown(page: Page): Promise<string> {
  return editorBody(page).evaluate((element) => (element as HTMLElement & { inkwellMarkdown?: string }).inkwellMarkdown ?? "");
}

/** Types at the end of the editor's text, as a writer would. */
export async function typeAtEnd(page: Page, text: string): Promise<void> {
  await editorBody(page).focus();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type(text);
}

/** The editor's save state ("Saving…", "All changes saved at 14:02", "Offline – will retry"…). */
export function saveStatus(page: Page) {
  return page.getByRole("status", { name: "Save status" });
}

/** Runs axe-core on part of the page (a dialog, say) and fails on serious or critical violations. */
export async function expectAccessible(page: Page, selector: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).include(selector).analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`).slice(0, 5) }));
  expect(serious, `${selector}: serious or critical accessibility violations`).toEqual([]);
}
