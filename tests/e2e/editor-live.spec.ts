import { test as base, expect, type Page } from "@playwright/test";
import {
  confirmInReviewSheet,
  createDraft,
  editorMarkdown,
  editorStatus,
  expectAccessible,
  publishAndWait,
  saveStatus,
  signUpOnce,
  typeAtEnd,
  type StorageState,
  type Writer,
} from "./helpers";

// A live post and its working copy, the review sheet, honest status words, the slug field and the
// cover's description, at desktop and phone widths. Controls are found by role and accessible name.

const test = base.extend<object, { account: { writer: Writer; state: StorageState } }>({
  account: [async ({ browser }, provide, workerInfo) => provide(await signUpOnce(browser, workerInfo.project.use.baseURL ?? "", "livedesk")), { scope: "worker" }],
  storageState: async ({ account }, provide) => provide(account.state),
});

const viewports = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

/** What machines get about the post: the REST API, search, the writer's feed and the sitemap. */
async function publicView(page: Page, username: string, slug: string, word: string) {
  const get = async (path: string) => {
    const response = await page.request.get(path);
    return `${response.status()} ${await response.text()}`;
  };
  return {
    api: await get(`/api/v1/posts/${username}/${slug}`),
    search: await get(`/api/v1/search?q=${word}`),
    // The feed's <lastBuildDate> is when the XML was made, not anything about the post.
    feed: (await get(`/@${username}/feed.xml`)).replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, ""),
    sitemap: await get("/sitemap.xml"),
  };
}

for (const viewport of viewports) {
  test.describe(`A live post at ${viewport.name} width`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test("keeps edits private until Update, and Discard drops them", async ({ page, account }) => {
      test.setTimeout(180_000); // three autosaves, two mutations through the sheet and a reload, on a shared machine
      const run = `${viewport.name}${Date.now().toString(36)}`;
      const title = `Lighthouse log ${run}`;
      await page.goto("/dashboard");
      const live = await publishAndWait(page, await createDraft(page, { title, markdown: `The ${run} lamp turned all night.` }));
      const before = await publicView(page, account.writer.username, live.slug, run);
      expect(before.api).toContain(`The ${run} lamp turned all night.`);

      await page.goto(`/editor/${live.id}`);
      await expect(editorStatus(page)).toContainText("Live");
      await expect(editorStatus(page)).toContainText("Readers see this version.");

      await test.step("an autosaved edit stays private: page, feed, search and the API are unchanged", async () => {
        await typeAtEnd(page, ` TODO: add the bit about ${run}gulls`);
        await expect(saveStatus(page)).toContainText(/All changes saved at \d/);
        await expect(editorStatus(page)).toContainText(/Live — \d+ unpublished changes?/);
        expect(await publicView(page, account.writer.username, live.slug, run)).toEqual(before);
        const reader = await page.request.get(`/@${account.writer.username}/${live.slug}`);
        expect(await reader.text()).not.toContain("TODO: add the bit");
      });

      await test.step("Update post shows the review sheet, then makes the edit live and focuses the public link", async () => {
        const publishing = page.getByRole("region", { name: "Publishing" });
        await publishing.getByRole("button", { name: "Update post…" }).click();
        const sheet = page.getByRole("dialog", { name: `Update “${title}”` });
        await expect(sheet.getByText(`/@${account.writer.username}/${live.slug}`)).toBeVisible();
        await expect(sheet.getByRole("figure", { name: "Link preview" })).toContainText(title);
        await expectAccessible(page, "dialog[open]");
        await sheet.getByRole("button", { name: "Update now" }).click();
        await expect(sheet).toBeHidden();
        await expect(page.getByRole("link", { name: "View public page" })).toBeFocused();
        await expect(editorStatus(page)).toContainText("Readers see this version.");
        await expect.poll(async () => (await page.request.get(`/api/v1/posts/${account.writer.username}/${live.slug}`)).text()).toContain(`${run}gulls`);
      });

      await test.step("Discard changes brings the live version back into the editor", async () => {
        const liveText = await editorMarkdown(page);
        await typeAtEnd(page, " A half-formed thought.");
        await expect(saveStatus(page)).toContainText(/All changes saved at \d/);
        await expect(editorStatus(page)).toContainText(/unpublished change/);
        await page.getByRole("region", { name: "Publishing" }).getByRole("button", { name: "Discard changes" }).click();
        const confirm = page.getByRole("dialog", { name: "Discard unpublished changes?" });
        await expect(confirm.getByRole("button", { name: "Keep editing" })).toBeFocused();
        await confirm.getByRole("button", { name: "Discard changes" }).click();
        await expect(confirm).toBeHidden();
        await expect.poll(() => editorMarkdown(page)).toBe(liveText);
        await expect(editorStatus(page)).toContainText("Readers see this version.");
        await page.reload();
        await expect.poll(() => editorMarkdown(page)).toBe(liveText);
        const api = await (await page.request.get(`/api/v1/posts/${account.writer.username}/${live.slug}`)).text();
        expect(api).not.toContain("half-formed");
      });
    });

    test("publishes through the review sheet, then unpublishes through it", async ({ page, account }) => {
      const title = `Harbour notes ${viewport.name} ${Date.now().toString(36)}`;
      await page.goto("/dashboard");
      const draft = await createDraft(page, { title, markdown: "Ropes, tides and gulls.", tags: ["harbour"], excerpt: "A day at the harbour." });
      await page.goto(`/editor/${draft.id}`);
      await expect(editorStatus(page)).toContainText("Draft");

      await page.getByRole("region", { name: "Publishing" }).getByRole("button", { name: "Publish…" }).click();
      const sheet = page.getByRole("dialog", { name: `Publish “${title}”` });
      await expect(sheet).toBeVisible();
      await expect(sheet.getByText(`/@${account.writer.username}/${draft.slug}`)).toBeVisible();
      const card = sheet.getByRole("figure", { name: "Link preview" });
      await expect(card).toContainText(title);
      await expect(card).toContainText("A day at the harbour.");
      await expect(sheet.getByRole("listitem").filter({ hasText: "#harbour" })).toBeVisible();
      await expect(sheet.getByRole("radio", { name: "Now" })).toBeChecked();
      await sheet.getByRole("radio", { name: "At a set time" }).check();
      await expect(sheet.getByLabel("Publish at")).toBeVisible();
      await expect(sheet.getByRole("button", { name: "Schedule", exact: true })).toBeVisible();
      await sheet.getByRole("radio", { name: "Now" }).check();
      await expectAccessible(page, "dialog[open]");
      await sheet.getByRole("button", { name: "Publish now" }).click();
      await expect(sheet).toBeHidden();
      await expect(page.getByRole("link", { name: "View public page" })).toBeFocused();
      await expect(editorStatus(page)).toContainText("Live");
      await expect(editorStatus(page)).not.toContainText(/queued|ready/);

      await page.getByRole("region", { name: "Publishing" }).getByRole("button", { name: "Unpublish…" }).click();
      const unpublish = page.getByRole("dialog", { name: `Unpublish “${title}”` });
      await expect(unpublish.getByText("What readers will see instead")).toBeVisible();
      await expect(unpublish.getByText(/answers “Page not found”/)).toBeVisible();
      await expect(unpublish.getByRole("button", { name: "Cancel" })).toBeFocused();
      await unpublish.getByRole("button", { name: "Unpublish", exact: true }).click();
      await expect(unpublish).toBeHidden();
      await expect(editorStatus(page)).toContainText("Draft");
      expect((await page.request.get(`/@${account.writer.username}/${draft.slug}`)).status()).toBe(404);
    });

    test("normalises the slug as typed, and gives the cover a description and a thumbnail", async ({ page, account, baseURL }) => {
      await page.goto("/dashboard");
      const draft = await createDraft(page, { title: `Slug and cover ${viewport.name} ${Date.now().toString(36)}`, markdown: "Words." });
      await page.goto(`/editor/${draft.id}`);
      const settings = page.getByRole("region", { name: "Settings" });

      const slug = settings.getByLabel("Slug");
      // One account serves both widths: each post needs an address of its own.
      const normalized = `release-notes-clear-writing-${viewport.name}`;
      await slug.fill(`Release Notes & Clear Writing! ${viewport.name.toUpperCase()}`);
      await expect(settings.getByText(`/@${account.writer.username}/${normalized}`)).toBeVisible();
      await slug.blur();
      await expect(slug).toHaveValue(normalized);

      await settings.getByLabel("Cover image URL").fill(`${baseURL}/favicon.svg`);
      await settings.getByLabel("Cover image description").fill("The InkWell nib on a dark square");
      await expect(settings.getByRole("img", { name: "Cover preview: The InkWell nib on a dark square" })).toBeVisible();
      await expect(saveStatus(page)).toContainText(/All changes saved at \d/);

      await confirmInReviewSheet(page, "Publish");
      await expect(page.getByRole("link", { name: "View public page" })).toHaveAttribute("href", `/@${account.writer.username}/${normalized}`);
      await page.getByRole("link", { name: "View public page" }).click();
      await expect(page).toHaveURL(new RegExp(`/${normalized}$`));
      await expect(page.getByRole("article").getByRole("img", { name: "The InkWell nib on a dark square" })).toBeVisible();
      await expect(page.locator('meta[property="og:image:alt"]')).toHaveAttribute("content", "The InkWell nib on a dark square");
    });
  });
}

test.describe("A live post's scheduled update", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("goes live at the time chosen in the review sheet (Update at…)", async ({ page, account }) => {
    test.setTimeout(120_000);
    const title = `Tide tables ${Date.now().toString(36)}`;
    await page.goto("/dashboard");
    const live = await publishAndWait(page, await createDraft(page, { title, markdown: "High water at noon." }));
    await page.goto(`/editor/${live.id}`);
    await typeAtEnd(page, " Corrected: high water at one.");
    await expect(saveStatus(page)).toContainText(/All changes saved at \d/);

    const publishing = page.getByRole("region", { name: "Publishing" });
    await publishing.getByRole("button", { name: "Update post…" }).click();
    const sheet = page.getByRole("dialog", { name: `Update “${title}”` });
    await sheet.getByRole("radio", { name: "At a set time" }).check();
    // A few seconds ahead, in the browser's own time zone.
    const soon = await page.evaluate(() => {
      const date = new Date(Date.now() + 8_000);
      const pad = (n: number) => String(n).padStart(2, "0");
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
    });
    await sheet.getByLabel("Update at").fill(soon);
    await sheet.getByRole("button", { name: "Schedule update" }).click();
    await expect(sheet).toBeHidden();
    await expect(publishing).toContainText("Scheduled to update on");
    expect(await (await page.request.get(`/api/v1/posts/${account.writer.username}/${live.slug}`)).text()).not.toContain("Corrected");

    await expect(editorStatus(page)).toContainText("Readers see this version.", { timeout: 60_000 });
    await expect(publishing).not.toContainText("Scheduled to update on");
    expect(await (await page.request.get(`/api/v1/posts/${account.writer.username}/${live.slug}`)).text()).toContain("Corrected: high water at one.");
  });
});
