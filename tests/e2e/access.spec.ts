import { expect, test } from "@playwright/test";
import { newWriter, signUpElsewhere, writePost } from "./helpers";

test.describe("Access", () => {
  test("anonymous visitors are sent from the dashboard to sign in, with a way back", async ({ page }) => {
    const response = await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard$/);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Welcome back" })).toBeVisible();
  });

  test("anonymous visitors cannot open the editor", async ({ page }) => {
    await page.goto("/editor/new");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Feditor%2Fnew$/);
  });

  test("a sign-in link cannot send people to another site", async ({ page }) => {
    await page.goto("/sign-in?callbackUrl=https://evil.example/");
    await expect(page.getByRole("link", { name: "Create an account" })).toHaveAttribute("href", "/sign-up");
  });

  test("a writer's draft is theirs alone: 404 for other writers and for readers", async ({ browser }) => {
    const alice = newWriter("alice");
    const bob = newWriter("bob");

    const aliceContext = await browser.newContext();
    const alicePage = await aliceContext.newPage();
    await signUpElsewhere(alicePage, alice);
    const editorUrl = await writePost(alicePage, { title: "Private thoughts", markdown: "Not for anyone else's eyes." });
    const address = alicePage.getByText(`/@${alice.username}/`);
    await expect(address).toBeVisible();
    const draftUrl = (await address.innerText()).trim();
    expect(draftUrl).toBe(`/@${alice.username}/private-thoughts`);

    await test.step("its author gets 404 at its public address while it is a draft", async () => {
      const response = await alicePage.goto(draftUrl);
      expect(response?.status()).toBe(404);
      await expect(alicePage.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    });

    const bobContext = await browser.newContext();
    const bobPage = await bobContext.newPage();
    await signUpElsewhere(bobPage, bob);

    await test.step("another writer gets 404 at its editor", async () => {
      const response = await bobPage.goto(new URL(editorUrl).pathname);
      expect(response?.status()).toBe(404);
      await expect(bobPage.getByRole("heading", { level: 1, name: "Post not found" })).toBeVisible();
      await expect(bobPage.getByLabel("Title")).toHaveCount(0);
      await expect(bobPage.getByText("Not for anyone else's eyes.")).toHaveCount(0);
    });

    await test.step("another writer gets 404 at its public address", async () => {
      const response = await bobPage.goto(draftUrl);
      expect(response?.status()).toBe(404);
      await expect(bobPage.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    });

    await test.step("an anonymous reader gets 404 at its public address", async () => {
      const anonymous = await browser.newContext();
      const page = await anonymous.newPage();
      const response = await page.goto(draftUrl);
      expect(response?.status()).toBe(404);
      await expect(page.getByText("Not for anyone else's eyes.")).toHaveCount(0);
      await anonymous.close();
    });

    await test.step("the draft is not on the author's public page", async () => {
      await bobPage.goto(`/@${alice.username}`);
      await expect(bobPage.getByRole("heading", { level: 1, name: alice.displayName })).toBeVisible();
      await expect(bobPage.getByRole("link", { name: "Private thoughts" })).toHaveCount(0);
    });

    await aliceContext.close();
    await bobContext.close();
  });

  test("unknown writers and addresses without @ are 404", async ({ page }) => {
    expect((await page.goto("/@nobody_by_this_name"))?.status()).toBe(404);
    expect((await page.goto("/%40nobody_by_this_name/some-post"))?.status()).toBe(404);
    expect((await page.goto("/not-an-author"))?.status()).toBe(404);
  });
});
