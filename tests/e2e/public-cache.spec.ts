import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { expect, test, type APIResponse, type Page } from "@playwright/test";
import postgres from "postgres";
import { callTrpc, outboxDir, publishPost, signUpOnce, type StorageState, type Writer } from "./helpers";

// Public pages as every cache in front sees them (README "Reading at scale"): shared-cache headers,
// validators and 304s, the same bytes for every reader whoever is signed in, a policy that lets no
// planted script run, and, through the gateway (npm run test:e2e:gateway), nginx's cache and purges.

const run = Date.now().toString(36);
const tag = `edge-${run}`;
const throughGateway = process.env.E2E_GATEWAY === "1";

let first: { writer: Writer; state: StorageState };
let second: { writer: Writer; state: StorageState };
let writerPage: Page;
let post: { id: string; path: string };

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(180_000); // two sign-ups and a publish through the worker
  first = await signUpOnce(browser, baseURL!, "ferry");
  second = await signUpOnce(browser, baseURL!, "quay");
  writerPage = await (await browser.newContext({ baseURL, storageState: first.state })).newPage();
  await writerPage.goto("/dashboard");
  post = await publishPost(writerPage, first.writer, { title: `Harbour lights ${run}`, markdown: "The ferry leaves at six.", tags: [tag] });
});

test.afterAll(async () => {
  await writerPage.context().close();
});

function publicPaths(): string[] {
  const author = `/@${first.writer.username}`;
  return [
    "/",
    author,
    post.path,
    "/tags",
    `/tags/${tag}`,
    "/feed.xml",
    `${author}/feed.xml`,
    `/tags/${tag}/feed.xml`,
    "/sitemap.xml",
    "/robots.txt",
    "/api/v1/posts",
    `/api/v1/posts/${first.writer.username}/${post.path.split("/").pop()}`,
    `/api/v1/authors/${first.writer.username}`,
  ];
}

function expectShareable(response: APIResponse, what: string) {
  const headers = response.headers();
  expect(response.status(), what).toBe(200);
  expect(headers["cache-control"], what).toMatch(/^public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+/);
  expect(headers.etag, what).toMatch(/^(W\/)?"[\w-]+"$/); // weak once the gateway compresses it
  expect(headers["surrogate-key"], what).toBeTruthy();
  expect(headers["set-cookie"], `${what} sets no cookie`).toBeUndefined();
}

test("every public page may be kept by shared caches, has a validator and answers 304 to it", async ({ playwright, baseURL }) => {
  // A reader with cookies of every kind: none of them may reach a stored answer.
  const reader = await playwright.request.newContext({ baseURL, storageState: second.state });
  for (const path of publicPaths()) {
    // Again from the top if the page changed between the two requests (a post of another test went
    // live: the home page and the lists are shared by every test of the run).
    await expect(async () => {
      const response = await reader.get(path);
      expectShareable(response, path);
      const again = await reader.get(path, { headers: { "if-none-match": response.headers().etag! } });
      expect(again.status(), `${path} revalidated`).toBe(304);
      expect(await again.body(), `${path}: a 304 has no body`).toHaveLength(0);
    }).toPass({ timeout: 10_000 });
  }
  expect((await reader.get(post.path)).headers()["surrogate-key"]).toContain(`post:${post.id}`);
  for (const path of ["/search?q=harbour", "/api/viewer", "/api/v1/search?q=harbour"]) {
    const response = await reader.get(path);
    expect(response.headers()["cache-control"] ?? "", `${path} is per reader`).not.toMatch(/public/);
  }
  await reader.dispose();
});

test("unknown query parameters reach the same stored page; a made-up cursor is never stored", async ({ request }) => {
  const plain = await request.get(post.path);
  const tracked = await request.get(`${post.path}?utm_source=newsletter&ref=${run}`);
  expect(tracked.headers().etag).toBe(plain.headers().etag);
  // Served from the store (the origin's, or the gateway's in front of it), not rendered again.
  const served = throughGateway ? tracked.headers()["x-cache-status"] : tracked.headers()["x-inkwell-origin-cache"];
  expect(served).toBe("HIT");
  const bogus = await request.get("/?cursor=not-a-cursor");
  expect(bogus.status()).toBe(404);
  expect(bogus.headers()["cache-control"] ?? "").not.toMatch(/public/);
});

test("two signed-in writers and an anonymous reader get the same HTML for the same post", async ({ playwright, baseURL }) => {
  const bodies: string[] = [];
  for (const state of [first.state, second.state, undefined]) {
    const reader = await playwright.request.newContext({ baseURL, storageState: state });
    const viewer = (await (await reader.get("/api/viewer")).json()) as { user: { username: string } | null };
    expect(viewer.user?.username ?? null).toBe(state === first.state ? first.writer.username : state ? second.writer.username : null);
    bodies.push(await (await reader.get(post.path)).text());
    await reader.dispose();
  }
  // Each render has its own CSP nonce: a purge between the reads (another test's publish) renders the
  // page again, legitimately. Apart from its nonce, what a reader gets must not depend on who reads.
  const withoutNonce = (html: string) => {
    const nonces = new Set([...html.matchAll(/nonce(?:\\*"|=)*[:=]?(?:\\*")?([A-Za-z0-9+/=]{20,})/g)].map((m) => m[1]!));
    return [...nonces].reduce((text, nonce) => text.replaceAll(nonce, "NONCE"), html);
  };
  expect(withoutNonce(bodies[1]!)).toBe(withoutNonce(bodies[0]!));
  expect(withoutNonce(bodies[2]!)).toBe(withoutNonce(bodies[0]!));
  // Nothing of whoever reads it: the post's own writer is named as its author, the other nowhere.
  expect(bodies[0]).not.toContain(second.writer.displayName);
  expect(bodies[0]).not.toContain("Signed in as");
  expect(bodies[0]).not.toContain("Sign out");
});

test("the signed-in header arrives after load without moving anything; without JavaScript it is a Sign in link", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, storageState: second.state });
  const page = await context.newPage();
  await page.addInitScript(() => {
    // Each shift with what moved (tag, id, classes, from and to), so a failure names the element.
    type Shift = { value: number; sources: string[] };
    const shifts: Shift[] = [];
    (window as unknown as { layoutShifts: Shift[] }).layoutShifts = shifts;
    const describe = (node: Node | null) =>
      node instanceof Element ? `${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ""}.${[...node.classList].join(".")} "${(node.textContent ?? "").trim().slice(0, 40)}"` : String(node?.nodeName);
    const box = (r: DOMRectReadOnly) => `${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}x${Math.round(r.height)}`;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; sources?: { node: Node | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[] }[]) {
        shifts.push({ value: entry.value, sources: (entry.sources ?? []).map((s) => `${describe(s.node)} ${box(s.previousRect)} -> ${box(s.currentRect)}`) });
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(post.path);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByRole("link", { name: `Signed in as ${second.writer.displayName}` })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Dashboard" })).toBeVisible();
  // Under CI's load a shift of 0.00002 was seen twice (a few pixels of a small element; not reproduced
  // here, source not yet found: closing note of stop 26). The header's links arriving in the wrong place
  // would score a hundred times that; 0.0001 still catches a 20 px move of the account links.
  const shifts = await page.evaluate(() => (window as unknown as { layoutShifts: { value: number; sources: string[] }[] }).layoutShifts);
  const total = shifts.reduce((sum, shift) => sum + shift.value, 0);
  expect(total, `layout shifts: ${JSON.stringify(shifts)}`).toBeLessThan(0.0001);
  await context.close();

  // Without JavaScript the header is the plain link: a reader lands on the sign-in page, a writer
  // already signed in is taken on to their dashboard by it.
  for (const [state, destination] of [[undefined, /\/sign-in/], [second.state, /\/dashboard/]] as const) {
    const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false, storageState: state });
    const plain = await noScript.newPage();
    await plain.goto(post.path);
    await plain.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" }).click();
    await expect(plain).toHaveURL(destination);
    await noScript.close();
  }
});

test("a script planted in a stored page's HTML does not run; the page's own scripts do", async ({ page }) => {
  const sql = postgres(readFileSync(path.join(outboxDir(), ".database-url"), "utf8"), { max: 1 });
  try {
    // As if the sanitizer had let it through: straight into the live HTML.
    const planted = `<p id="planted">planted ${run}</p><script>window.plantedRan = true; document.title = "owned";</script>`;
    await sql`update posts.posts set published_html = published_html || ${planted} where id = ${post.id}`;
  } finally {
    await sql.end();
  }
  // A profile edit purges the writer's pages, so the next reader stores the planted page.
  await callTrpc(writerPage, "users.updateProfile", { bio: `Sails at six (${run}).` }, "mutation");
  const refused: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/.test(message.text())) refused.push(message.text());
  });
  // Until the planted page is served from the store (the purge is repeated shortly after a change, for
  // read replicas, so the first stored copy may be dropped once more).
  await expect(async () => {
    refused.length = 0;
    const stored = await page.goto(post.path);
    await expect(page.locator("#user-content-planted, #planted").first()).toBeAttached({ timeout: 1_000 });
    expect(stored?.headers()[throughGateway ? "x-cache-status" : "x-inkwell-origin-cache"]).toBe("HIT");
  }).toPass({ timeout: 15_000 });
  await expect(page.locator("#user-content-planted, #planted").first()).toBeAttached();
  expect(await page.evaluate(() => (window as unknown as { plantedRan?: boolean }).plantedRan)).toBeUndefined();
  expect(await page.title()).not.toBe("owned");
  // Next's own inline scripts ran (they fill self.__next_f, from which React hydrates the page), and the
  // planted one is the only script the browser refused.
  expect(await page.evaluate(() => Array.isArray((self as unknown as { __next_f?: unknown }).__next_f))).toBe(true);
  await expect.poll(() => refused.length).toBe(1);
  expect(refused[0]).toMatch(/inline script/i);
});

/** A request from a chosen loopback address (every 127.x address is this machine). */
function purgeFrom(localAddress: string, address: string, port: number): Promise<number> {
  const url = new URL(address, `http://127.0.0.1:${port}`);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: "PURGE", localAddress }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

if (throughGateway) {
  test.describe("through the gateway", () => {
    test("the gateway stores public pages, never per-viewer ones, and serves repeats itself", async ({ request }) => {
      await request.get(post.path);
      expect((await request.get(post.path)).headers()["x-cache-status"]).toBe("HIT");
      await request.get("/search?q=harbour");
      expect((await request.get("/search?q=harbour")).headers()["x-cache-status"] ?? "").not.toBe("HIT");
      expect((await request.get("/api/viewer")).headers()["x-cache-status"]).toBeUndefined();
    });

    test("PURGE is refused from any other address, idempotent from the app's", async ({ request }) => {
      await request.get(post.path);
      const readersPort = Number(process.env.E2E_PORT || 3100);
      const purgePort = readersPort + 20_000; // scripts/e2e-server.ts
      expect(await purgeFrom("127.0.0.1", post.path, readersPort)).toBe(405);
      expect(await purgeFrom("127.0.0.2", post.path, purgePort)).toBe(403);
      expect((await request.get(post.path)).headers()["x-cache-status"]).toBe("HIT");
      expect(await purgeFrom("127.0.0.1", post.path, purgePort)).toBe(200);
      expect(await purgeFrom("127.0.0.1", post.path, purgePort)).toBe(404); // nothing left to purge: fine
      expect((await request.get(post.path)).headers()["x-cache-status"]).toBe("MISS");
    });

    test("a publish reaches readers of the gateway's stored pages", async ({ request }) => {
      const home = await request.get("/");
      expect(home.status()).toBe(200);
      const another = await publishPost(writerPage, first.writer, { title: `Night ferry ${run}`, markdown: "Lights on the water.", tags: [tag] });
      await expect(async () => expect(await (await request.get("/")).text()).toContain(`Night ferry ${run}`)).toPass({ timeout: 5_000 });
      await expect(async () => expect((await request.get(another.path)).status()).toBe(200)).toPass({ timeout: 5_000 });
    });
  });
}
