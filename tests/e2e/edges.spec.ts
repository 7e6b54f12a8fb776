import { request as httpRequest } from "node:http";
import { createHash, randomInt } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { createDraft, mailedToken, newWriter, publishAndWait, type StorageState, type Writer } from "./helpers";

// The edges of the production build, attacked from outside: forged client addresses against the rate
// limits, open redirects through callbackUrl, hostile addresses against the public pages, the
// operators' endpoints, and the Content-Security-Policy of every kind of HTML response.

const baseURL = `http://127.0.0.1:${process.env.E2E_PORT || 3100}`;

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request from a loopback address of the test's choosing (127.x.y.z all reach the server on
 * 127.0.0.1): the server sees it as a different client, as it would a different machine.
 */
function send(options: { path: string; method?: string; headers?: Record<string, string>; body?: string; from: string }): Promise<RawResponse> {
  const url = new URL(options.path, baseURL);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: options.method ?? "GET", headers: options.headers, localAddress: options.from, agent: false },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A loopback address no other test uses (never 127.0.0.1, which the browser tests share). */
const freshAddress = () => `127.${randomInt(1, 255)}.${randomInt(256)}.${randomInt(1, 255)}`;

/** An address a client might claim in X-Forwarded-For (documentation ranges), different each time. */
const forgedAddress = (i: number) => `203.0.113.${(i % 250) + 1}, 198.51.100.${randomInt(1, 255)}`;

/** users.register from `from`, claiming `forwardedFor` in every header a server might read it from. */
function register(from: string, forwardedFor: string | null, writer: Writer = newWriter("xff")): Promise<RawResponse> {
  const body = JSON.stringify({ json: { email: writer.email, username: writer.username, displayName: writer.displayName, password: writer.password } });
  const claimed: Record<string, string> = forwardedFor
    ? { "x-forwarded-for": forwardedFor, "x-real-ip": forwardedFor.split(",")[0]!, "x-inkwell-client-address": forwardedFor.split(",")[0]! }
    : {};
  return send({ path: "/api/trpc/users.register", method: "POST", headers: { "content-type": "application/json", origin: baseURL, ...claimed }, body, from });
}

/**
 * A signed-up, signed-in writer and their browser state. Registered from an address of its own: the
 * other specs' sign-ups all come from 127.0.0.1 and share its hourly sign-up limit.
 */
async function signUpFromElsewhere(browser: Browser, prefix: string): Promise<{ writer: Writer; state: StorageState }> {
  const writer = newWriter(prefix);
  expect((await register(freshAddress(), null, writer)).status).toBe(200);
  const token = await mailedToken(writer.email, "verify-email");
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto(`/verify-email?token=${encodeURIComponent(token)}`);
  await page.getByLabel("Password").fill(writer.password);
  await page.getByRole("button", { name: "Confirm email address" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const state = await context.storageState();
  await context.close();
  return { writer, state };
}

let writer: Writer;
let state: StorageState;

test.beforeAll(async ({ browser }) => {
  ({ writer, state } = await signUpFromElsewhere(browser, "edges"));
});

/** One sign-in attempt through Auth.js's credentials endpoint; the `code` it answers ("credentials", "rate_limited:N"). */
async function signInAttempt(from: string, email: string, password: string, forwardedFor: string): Promise<string> {
  const forged = { "x-forwarded-for": forwardedFor, "x-real-ip": forwardedFor.split(",")[0]!, "x-inkwell-client-address": forwardedFor.split(",")[0]! };
  const csrf = await send({ path: "/api/auth/csrf", headers: forged, from });
  const cookie = ([] as string[]).concat(csrf.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const answer = await send({
    path: "/api/auth/callback/credentials",
    method: "POST",
    headers: { ...forged, cookie, "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: baseURL }).toString(),
    from,
  });
  return new URL((JSON.parse(answer.body) as { url: string }).url).searchParams.get("code") ?? "";
}

test.describe("Forged X-Forwarded-For (no proxy in front: TRUSTED_PROXIES=0)", () => {
  test("rotating it does not escape the sign-up limit; another connection address is counted apart", async () => {
    const from = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 40 && !statuses.includes(429); i++) statuses.push((await register(from, forgedAddress(i))).status);
    expect(statuses.at(-1), `answers: ${statuses.join(",")}`).toBe(429);
    expect(statuses.slice(0, -1).every((status) => status === 200)).toBe(true);
    // Still limited with yet another claimed address; a genuinely different client is not.
    expect((await register(from, "192.0.2.77")).status).toBe(429);
    expect((await register(freshAddress(), "192.0.2.77")).status).toBe(200);
  });

  test("rotating it does not escape the sign-in limit", async () => {
    const from = freshAddress();
    const codes: string[] = [];
    for (let i = 0; i < 60 && !codes.some((c) => c.startsWith("rate_limited")); i++) {
      codes.push(await signInAttempt(from, `nobody-${i}-${randomInt(1e9)}@example.test`, "wrong password", forgedAddress(i)));
    }
    expect(codes.at(-1), codes.join(",")).toMatch(/^rate_limited:\d+$/);
    expect(await signInAttempt(from, "someone@example.test", "wrong password", "192.0.2.88")).toMatch(/^rate_limited:/);
    expect(await signInAttempt(freshAddress(), "someone@example.test", "wrong password", "192.0.2.88")).toBe("credentials");
  });
});

// Ways to write "another site" in callbackUrl (tests/unit/callback-url.test.ts has the full list).
const REDIRECT_PAYLOADS = [
  "/.//evil.example",
  "/..//evil.example/x",
  "/%2e//evil.example",
  "//evil.example",
  "/\\evil.example",
  "/\t/evil.example",
  "/%2e%2e//evil.example",
  "https://evil.example/",
  "https:evil.example",
  "javascript:alert(1)",
];

test.describe("Open redirects through callbackUrl", () => {
  test("signed in, the sign-in and sign-up pages redirect only within the site", async ({ browser }) => {
    const context = await browser.newContext({ baseURL, storageState: state });
    for (const page of ["/sign-in", "/sign-up"]) {
      for (const payload of REDIRECT_PAYLOADS) {
        const response = await context.request.get(`${page}?callbackUrl=${encodeURIComponent(payload)}`, { maxRedirects: 0 });
        expect(response.status(), `${page} ${JSON.stringify(payload)}`).toBe(307);
        const target = new URL(response.headers().location ?? "", `${baseURL}${page}`);
        expect(target.origin, `${page} ${JSON.stringify(payload)} → ${response.headers().location}`).toBe(baseURL);
      }
    }
    await context.close();
  });

  test("signed out, signing in lands on the site, in Chromium", async ({ page }) => {
    test.setTimeout(180_000); // a full sign-in (argon2) per payload
    // The probe's three payloads; the signed-in test above and the unit test try the rest.
    for (const payload of REDIRECT_PAYLOADS.slice(0, 3)) {
      await page.context().clearCookies();
      await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(payload)}`);
      await page.getByLabel("Email").fill(writer.email);
      await page.getByLabel("Password").fill(writer.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
      expect(new URL(page.url()).origin, JSON.stringify(payload)).toBe(baseURL);
      await expect(page.getByRole("heading", { level: 1, name: "Your posts" })).toBeVisible();
    }
  });
});

// SQL or stack text that must never reach a client.
const LEAK = /select |insert into|from "|failed query|params:|postgres|node_modules|\bat [\w.<>]+ \(/i;

test.describe("Hostile addresses on the public pages", () => {
  test("cursors, NUL bytes and malformed %-encoding answer 400 or 404, never 500, never SQL", async () => {
    const b64 = (text: string) => Buffer.from(text).toString("base64url");
    const uuid = "0b0e5a5e-8d2a-4b59-9f5e-3c1b2a4d5e6f";
    const cursors = ["%", "%zz", "%00", "%c0%af", "x".repeat(300), encodeURIComponent(b64(`-271821-04-20T00:00:00.000Z|${uuid}`)), b64(`2024-01-01T00:00:00.000Z|------------------------------------`), b64("garbage"), "-1"];
    const paths = [
      ...cursors.flatMap((c) => [`/@${writer.username}?cursor=${c}`, `/tags/walks?cursor=${c}`, `/?cursor=${c}`]),
      "/@%zz",
      "/@a%00b",
      "/@%c0%af",
      `/@${"a".repeat(5000)}`,
      `/@${writer.username}/%zz`,
      `/@${writer.username}/a%00b`,
      `/@${writer.username}/%c0%af`,
      `/@${writer.username}/%2e%2e`,
      "/%zz",
      "/%00",
      "/tags/%zz",
      "/tags/%00",
      "/search?q=%00",
      "/search?q=%zz",
      "/search?q=a&offset=-1",
      "/search?q=a&offset=%00",
      `/@${writer.username}/feed.xml?cursor=%00`,
      "/@a%00b/feed.xml",
      "/api/v1/posts?cursor=%00",
      "/api/v1/posts?author=%00",
      "/api/v1/posts/%zz/%00",
      "/api/v1/authors/%c0%af",
      "/api/v1/search?q=%00",
      "/api/trpc/%zz",
      "/api/trpc/posts.published%c0%af",
      `/api/trpc/posts.published?input=${encodeURIComponent(JSON.stringify({ json: { cursor: "%00" } }))}`,
      "/api/auth/%zz",
    ];
    for (const path of paths) {
      const response = await send({ path, from: "127.0.0.1" });
      expect([200, 307, 308, 400, 404], `${path}: ${response.status}`).toContain(response.status);
      expect(response.body, path).not.toMatch(LEAK);
    }
  });
});

test.describe("Operators' endpoints", () => {
  test("metrics need the token, and health tells anyone only its status", async ({ request }) => {
    const metrics = await request.get("/api/metrics");
    expect(metrics.status()).toBe(401);
    expect(await metrics.text()).not.toContain("inkwell_");
    for (const path of ["/api/health", "/api/health?probe=web"]) {
      const health = await request.get(path);
      expect(Object.keys((await health.json()) as object), path).toEqual(["ok"]);
    }
    expect((await request.get("/api/health?probe=web")).status()).toBe(200);
  });
});

/** The policy's directives, by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(/[;,]/)
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

// Browser prefetches, and Next's router prefetch header on a request for HTML (with RSC: 1 the answer is
// a React payload, not HTML).
const PREFETCH_HEADERS: Record<string, string>[] = [
  {},
  { purpose: "prefetch" },
  { "sec-purpose": "prefetch" },
  { "x-moz": "prefetch" },
  { "next-router-prefetch": "1" },
];

test.describe("Content-Security-Policy on every HTML response", () => {
  let post: string;

  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext({ baseURL, storageState: state });
    const page: Page = await context.newPage();
    await page.goto("/dashboard");
    const saved = await publishAndWait(page, await createDraft(page, { title: "Policy test", markdown: "Some *text*." }));
    post = `/@${writer.username}/${saved.slug}`;
    await context.close();
  });

  test("pages, prefetches, feeds, the sitemap and Auth.js's pages carry the full policy", async () => {
    const paths = ["/", "/sign-in", "/sign-up", "/search?q=policy", "/tags", post, post.split("/").slice(0, 2).join("/"), "/no-such-page", "/feed.xml", "/sitemap.xml", "/robots.txt", "/api/auth/signin", "/api/auth/error", "/api/auth/signout", "/api/auth/verify-request"];
    for (const path of paths) {
      for (const headers of PREFETCH_HEADERS) {
        const label = `${path} ${JSON.stringify(headers)}`;
        const response = await send({ path, headers, from: "127.0.0.1" });
        const policy = ([] as string[]).concat(response.headers["content-security-policy"] ?? []).join(", ");
        expect(policy, label).not.toBe("");
        const parsed = directives(policy);
        const scriptSrc = parsed.get("script-src") ?? [];
        expect(scriptSrc.length, `${label}: ${policy}`).toBeGreaterThan(0);
        expect(scriptSrc, label).not.toContain("'unsafe-inline'");
        expect(scriptSrc, label).not.toContain("'unsafe-eval'");
        for (const [name, value] of [["default-src", "'self'"], ["object-src", "'none'"], ["frame-ancestors", "'none'"], ["base-uri", "'self'"], ["form-action", "'self'"]] as const) {
          expect(parsed.get(name), `${label}: ${name}`).toContain(value);
        }
        // Every inline script of an HTML answer carries the policy's nonce, or, on a cached public page
        // (no nonce: server/cache/origin-cache.ts), its hash is in the policy (else it could not run).
        const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"))?.slice("'nonce-".length, -1);
        const contentType = String(response.headers["content-type"] ?? "");
        if (contentType.includes("text/html")) {
          for (const [, tag = "", content = ""] of response.body.matchAll(/(<script\b(?![^>]*\bsrc=)[^>]*>)([\s\S]*?)<\/script>/g)) {
            if (/type="application\/(ld\+)?json"/.test(tag)) continue;
            if (nonce) expect(tag, label).toContain(`nonce="${nonce}"`);
            else expect(scriptSrc, label).toContain(`'sha256-${createHash("sha256").update(content, "utf8").digest("base64")}'`);
          }
        }
      }
    }
  });

  test("pages and the pages Next prefetches run their scripts in Chromium, none refused", async ({ page }) => {
    const refused: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(post);
    const tags = page.getByRole("link", { name: "Tags", exact: true }).first();
    await tags.hover(); // Next prefetches on hover (and in view) in production
    await tags.click();
    await expect(page).toHaveURL(`${baseURL}/tags`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(refused).toEqual([]);
  });
});
