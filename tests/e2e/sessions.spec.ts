import { expect, test } from "@playwright/test";
import { newWriter, signOut, signUpElsewhere } from "./helpers";

test.describe("Sessions", () => {
  test("a session cookie copied before Sign out no longer signs anyone in after it", async ({ browser, page }) => {
    const writer = newWriter("leaver");
    await signUpElsewhere(page, writer);
    const copied = await page.context().cookies();
    await signOut(page);

    const elsewhere = await browser.newContext();
    await elsewhere.addCookies(copied);
    const thief = await elsewhere.newPage();
    await thief.goto("/dashboard");
    await expect(thief).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard$/);
    const me = await thief.request.get(`/api/trpc/users.me?input=${encodeURIComponent(JSON.stringify({ json: null }))}`);
    expect(me.status()).toBe(401);
    await elsewhere.close();
  });
});
