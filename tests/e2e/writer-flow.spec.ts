import { expect, test } from "@playwright/test";
import { confirmInReviewSheet, editorMarkdown, editorStatus, newWriter, signUp } from "./helpers";

const title = "Notes from a quiet morning";
const originalBody = [
  "The kettle was the first sound of the day, and **the light came in sideways**.",
  "",
  "## What I noticed",
  "",
  "- the cold floor",
  "- a blackbird on the fence",
  "- steam on the window",
  "",
  "<script>window.__inkwellInjected = true</script>",
  "",
  "Original ending: the tea went cold while I wrote.",
].join("\n");

// A long revision, so the worker has a moment's work and "while it is processed" can be observed.
const revisedBody = [
  "The kettle was the first sound of the day, and **the light came in sideways**.",
  "",
  "## What I noticed",
  "",
  ...Array.from({ length: 850 }, (_, i) => `Paragraph ${i + 1}: the morning went on, slow and *unhurried*, with [nothing](https://example.com) to do.\n`),
  "Revised ending: I drank the tea while it was warm.",
].join("\n");

test.describe("A writer", () => {
  test("signs up, writes, previews, publishes, revises a published post, and signs in again", async ({ page, context }) => {
    test.setTimeout(180_000); // the whole journey, Publish and Update through the review sheet included
    const writer = newWriter("flow");

    await test.step("signs up and lands on an empty dashboard", async () => {
      await signUp(page, writer);
      await expect(page.getByRole("banner")).toContainText(writer.displayName);
      await expect(page.getByRole("heading", { name: "No posts yet" })).toBeVisible();
    });

    await test.step("starts a new post from the dashboard", async () => {
      await page.getByRole("main").getByRole("link", { name: "New post" }).click();
      await expect(page).toHaveURL(/\/editor\/new$/);
      await expect(page.getByRole("heading", { level: 1, name: "New post" })).toBeVisible();
    });

    await test.step("saves a draft and sees it processed without reloading", async () => {
      await page.getByLabel("Title").fill(title);
      await page.getByLabel("Body (Markdown)").fill(originalBody);
      await expect(page.getByText("Not saved yet", { exact: true })).toBeVisible();
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/);
      await expect(page.getByText("All changes saved")).toBeVisible();
      await expect(editorStatus(page)).toContainText("Draft");
      await expect(page.getByText("Words", { exact: true })).toBeVisible();
    });

    await test.step("previews the rendered, sanitized HTML", async () => {
      await page.getByRole("button", { name: "Preview" }).click();
      const preview = page.getByRole("region", { name: "Preview" });
      await expect(preview.getByRole("heading", { level: 2, name: "What I noticed" })).toBeVisible();
      await expect(preview.locator("strong")).toHaveText("the light came in sideways");
      await expect(preview.getByRole("listitem")).toHaveCount(3);
      await expect(preview.locator("script")).toHaveCount(0);
      await page.getByRole("button", { name: "Preview" }).click();
      await expect.poll(() => editorMarkdown(page)).toBe(originalBody);
    });

    let publicUrl = "";
    await test.step("publishes the post", async () => {
      await confirmInReviewSheet(page, "Publish");
      await expect(editorStatus(page)).toContainText("Readers see this version.");
      const link = page.getByRole("link", { name: "View public page" });
      await expect(link).toBeFocused();
      publicUrl = (await link.getAttribute("href")) ?? "";
      expect(publicUrl).toMatch(new RegExp(`^/@${writer.username}/notes-from-a-quiet-morning`));
    });

    const reader = await context.newPage();
    await test.step("readers see the post at /@username/slug", async () => {
      const response = await reader.goto(publicUrl);
      expect(response?.status()).toBe(200);
      const article = reader.getByRole("article");
      await expect(article.getByRole("heading", { level: 1, name: title })).toBeVisible();
      await expect(article.getByRole("link", { name: writer.displayName }).first()).toHaveAttribute("href", `/@${writer.username}`);
      await expect(article.getByText("1 min read")).toBeVisible();
      await expect(article.locator("time")).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T/);
      await expect(article.getByRole("heading", { level: 2, name: "What I noticed" })).toBeVisible();
      await expect(article.locator("strong")).toHaveText("the light came in sideways");
      await expect(article.getByText("Original ending")).toBeVisible();
      await expect(article.locator("script")).toHaveCount(0);
      expect(await reader.evaluate(() => (window as { __inkwellInjected?: boolean }).__inkwellInjected)).toBeUndefined();
      await expect(reader).toHaveTitle(new RegExp(title));
    });

    await test.step("revises the published post; readers keep the published version, the edit stays private", async () => {
      await page.getByLabel("Body (Markdown)").fill(revisedBody);
      await expect(page.getByText("Unsaved changes")).toBeVisible();
      // Leaving with unsaved changes asks first; staying keeps the text.
      let warning = "";
      page.once("dialog", (dialog) => {
        warning = dialog.message();
        void dialog.dismiss();
      });
      await page.getByRole("link", { name: "Your posts" }).click();
      expect(warning).toContain("unsaved changes");
      await expect(page).toHaveURL(/\/editor\//);
      await expect.poll(() => editorMarkdown(page)).toBe(revisedBody);
      await page.keyboard.press("ControlOrMeta+s");
      await expect(page.getByText("All changes saved")).toBeVisible();
      await expect(editorStatus(page)).toContainText(/Live — \d+ unpublished changes?/);
      await reader.reload();
      await expect(reader.getByRole("article").getByText("Original ending")).toBeVisible();
      await expect(reader.getByRole("article").getByText("Revised ending")).toHaveCount(0);
    });

    await test.step("once the writer updates the post, readers get the revision", async () => {
      await confirmInReviewSheet(page, "Update");
      await expect(editorStatus(page)).toContainText("Readers see this version.", { timeout: 30_000 });
      await reader.reload();
      await expect(reader.getByRole("article").getByText("Revised ending")).toBeVisible();
      await expect(reader.getByRole("article").getByText("Original ending")).toHaveCount(0);
      await reader.close();
    });

    await test.step("signs out", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL("/");
      await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
    });

    await test.step("is told when the password is wrong", async () => {
      await page.getByRole("banner").getByRole("link", { name: "Sign in" }).click();
      await page.getByLabel("Email").fill(writer.email);
      await page.getByLabel("Password").fill("not my password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("main").getByRole("alert")).toHaveText(/^Wrong email or password\./);
      await expect(page.getByLabel("Email")).toHaveValue(writer.email);
    });

    await test.step("signs in again and finds the post on the dashboard", async () => {
      await page.getByLabel("Password").fill(writer.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/\/dashboard$/);
      const item = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: title }) });
      await expect(item).toContainText("Live");
      await expect(item).not.toContainText("ready");
      await expect(item.getByRole("link", { name: /View public page/ })).toHaveAttribute("href", publicUrl);
    });
  });
});
