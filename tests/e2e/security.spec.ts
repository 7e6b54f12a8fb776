import { expect, test } from "@playwright/test";
import { xssVectors } from "./fixtures/xss-vectors";
import { callTrpc as trpc, newWriter, signUpElsewhere } from "./helpers";

// Untrusted writing: every vector goes through save → worker → public page in Chromium, and nothing runs.

test.describe("Untrusted writing", () => {
  test(`none of ${xssVectors.length} XSS vectors runs on the published page`, async ({ page }) => {
    expect(xssVectors.length).toBeGreaterThanOrEqual(100);
    const writer = newWriter("xss");
    await signUpElsewhere(page, writer);

    const markdown = xssVectors.map((vector, i) => `Vector ${i}:\n\n${vector}\n`).join("\n\n");
    const post = await trpc<{ id: string; slug: string }>(page, "posts.create", { title: "Hostile input", markdown }, "mutation");
    await trpc(page, "posts.publish", { id: post.id }, "mutation");
    await expect
      .poll(async () => (await trpc<{ publishedVersion: number | null }>(page, "posts.byId", { id: post.id }, "query")).publishedVersion, { timeout: 30_000 })
      .toBe(1);

    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`/@${writer.username}/${post.slug}`);
    await expect(page.getByText(`Vector ${xssVectors.length - 1}:`)).toBeVisible();
    // The rendered post itself: the element holding its first paragraph (the page's own chrome aside).
    const article = page.getByText("Vector 0:", { exact: true }).locator("xpath=..");

    // Provoke handlers a vector might have smuggled in: hover, focus and click everything in the post.
    const elements = article.locator("a, img, span, p, div, input, li");
    const count = Math.min(await elements.count(), 400);
    for (let i = 0; i < count; i++) {
      const element = elements.nth(i);
      if (!(await element.isVisible())) continue;
      await element.hover({ force: true, timeout: 1_000 }).catch(() => {});
      await element.focus({ timeout: 1_000 }).catch(() => {});
    }
    for (const link of await article.locator("a[href]").all()) {
      const href = (await link.getAttribute("href")) ?? "";
      expect(href).toMatch(/^(https?:|mailto:|#)/);
    }

    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await article.locator("script, iframe, frame, object, embed, form, style, base, meta, link, svg, math, template").count()).toBe(0);
    const dangerous = await article.evaluate((body) =>
      [...body.querySelectorAll("*")].flatMap((el) =>
        [...el.attributes]
          .filter((a) => /^on/i.test(a.name) || a.name === "style" || ((a.name === "href" || a.name === "src") && /^\s*(javascript|vbscript|data):/i.test(a.value)))
          .map((a) => `${el.tagName}[${a.name}=${a.value}]`),
      ),
    );
    expect(dangerous).toEqual([]);
  });
});

test.describe("Security headers", () => {
  test("pages carry a per-request nonce CSP without unsafe-inline scripts, and still work", async ({ page }) => {
    const first = await page.goto("/sign-in");
    const second = await page.request.get("/sign-in");
    const policy = first?.headers()["content-security-policy"] ?? "";
    const scriptSrc = policy.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(second.headers()["content-security-policy"]).not.toBe(policy); // a fresh nonce per request
    expect(first?.headers()["x-content-type-options"]).toBe("nosniff");
    expect(first?.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    // Hydrated under the policy: the form is interactive (its fields are read-only until hydration).
    await expect(page.getByLabel("Email")).toBeEditable();
  });
});
