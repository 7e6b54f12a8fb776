import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { callTrpc, createDraft, editorBody, editorMarkdown, publishAndWait, signUpOnce, type StorageState } from "./helpers";

// A writer drops a photo into a post: it uploads with progress, is processed by the worker (status live),
// asks for alt text, goes into the Markdown, and the preview and the public page show a responsive
// <picture>; the library lists it with where it is used and refuses to delete it while it is live.

let state: StorageState;
let username: string;

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const signed = await signUpOnce(browser, baseURL ?? "", "images");
  state = signed.state;
  username = signed.writer.username;
});
test.use({ storageState: async ({}, provide) => provide(state) });

test("a dropped photo is uploaded, processed, described and shown as a responsive picture", async ({ page }) => {
  test.setTimeout(120_000);
  const photo = await sharp({ create: { width: 1400, height: 900, channels: 3, background: "#3a6" } }).jpeg().toBuffer();
  await page.goto("/dashboard");
  const post = await createDraft(page, { title: "A photo", markdown: "Before the photo." });
  await page.goto(`/editor/${post.id}`);
  await editorBody(page).focus();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.press("Enter");

  await editorBody(page).evaluate((element, bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], "garden.jpg", { type: "image/jpeg" }));
    element.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [...photo]);

  const uploads = page.getByRole("list", { name: "Image uploads" });
  await expect(uploads.getByText("garden.jpg")).toBeVisible();
  await expect(uploads.getByRole("status").filter({ hasText: "Ready" })).toBeVisible({ timeout: 60_000 });
  // Alt text is required unless the image is marked decorative.
  await uploads.getByRole("button", { name: "Insert image" }).click();
  await expect(uploads.getByText("Describe the image for readers who cannot see it")).toBeVisible();
  expect(await editorMarkdown(page)).toBe("Before the photo.\n");
  await uploads.getByLabel("Alt text").fill("A green garden");
  await uploads.getByRole("button", { name: "Insert image" }).click();
  await expect.poll(() => editorMarkdown(page)).toMatch(/^Before the photo\.\n!\[A green garden\]\(\/media\/[0-9a-f]{64}\/1400x900\.jpg\)\n$/);

  // Autosaved, then published.
  await expect.poll(async () => (await callTrpc<{ markdown: string }>(page, "posts.byId", { id: post.id }, "query")).markdown, { timeout: 20_000 }).toContain("/media/");
  const live = await publishAndWait(page, post);

  const response = await page.goto(`/@${username}/${live.slug}`);
  expect(response?.status()).toBe(200);
  const picture = page.locator("article picture").first();
  await expect(picture.locator('source[type="image/avif"]')).toHaveAttribute("srcset", /320\.avif 320w.*1400\.avif 1400w/);
  const img = picture.getByRole("img", { name: "A green garden" });
  await expect(img).toHaveAttribute("width", "1400");
  await expect(img).toHaveAttribute("height", "900");
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);

  await page.goto("/dashboard/media");
  await expect(page.getByRole("heading", { level: 1, name: "Images" })).toBeVisible();
  await expect(page.getByText("A photo")).toBeVisible();
  await expect(page.getByText(/of 1\.00 GB used/)).toBeVisible();
  await page.getByRole("button", { name: /^Delete/ }).first().click();
  await expect(page.getByRole("status").filter({ hasText: "published post “A photo”" })).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);
});

test("a file that is not an image fails with the reason and leaves the text as it was", async ({ page }) => {
  await page.goto("/dashboard");
  const post = await createDraft(page, { title: "Not a photo", markdown: "Kept." });
  await page.goto(`/editor/${post.id}`);
  await editorBody(page).focus(); // hydrated: the toolbar is enabled
  await page.getByRole("toolbar", { name: "Formatting" }).getByRole("button", { name: "Image", exact: true }).click();
  await page.getByLabel("Or upload from your device").setInputFiles({ name: "page.jpg", mimeType: "image/jpeg", buffer: Buffer.from("<html><script>alert(1)</script></html>") });
  await expect(page.getByRole("status").filter({ hasText: "Failed: This file is not an image InkWell can use" })).toBeVisible();
  expect(await editorMarkdown(page)).toBe("Kept.");
});
