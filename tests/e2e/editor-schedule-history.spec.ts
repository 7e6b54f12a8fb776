import { test as base, expect, type Page } from "@playwright/test";
import { callTrpc, confirmInReviewSheet, createDraft, editorBody, editorMarkdown, editorStatus, expectAccessible, publishAndWait, saveStatus, signUpOnce, type StorageState, type Writer } from "./helpers";

// The writer's desk, part 3: publishing later, and the history of published versions.

const test = base.extend<object, { account: { writer: Writer; state: StorageState } }>({
  account: [async ({ browser }, provide, workerInfo) => provide(await signUpOnce(browser, workerInfo.project.use.baseURL ?? "", "later")), { scope: "worker" }],
  storageState: async ({ account }, provide) => provide(account.state),
});

/** A local date-time `seconds` from now, as <input type="datetime-local"> takes it (in the browser's time zone). */
function localDateTime(page: Page, seconds: number): Promise<string> {
  return page.evaluate((offset) => {
    const date = new Date(Date.now() + offset * 1000);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  }, seconds);
}

test.describe("Scheduling", () => {
  test("a post scheduled a few seconds ahead becomes published without a reload", async ({ page }) => {
    await page.goto("/dashboard");
    const post = await createDraft(page, { title: "Timed release", markdown: "Out at the stroke of the clock." });
    await page.goto(`/editor/${post.id}`);
    const publishing = page.getByRole("region", { name: "Publishing" });

    await publishing.getByRole("button", { name: "Schedule for later" }).click();
    await expect(publishing.getByText(/Your time zone: \S+/)).toBeVisible();
    await publishing.getByLabel("Publish at").fill(await localDateTime(page, 6));
    await publishing.getByRole("button", { name: "Schedule", exact: true }).click();

    await expect(editorStatus(page)).toContainText("Scheduled");
    await expect(publishing).toContainText("Scheduled to publish on");
    await expect(editorStatus(page)).toContainText("Readers see this version.", { timeout: 30_000 });
    await expect(publishing.getByRole("link", { name: "View public page" })).toBeVisible();
  });

  test("a scheduled post can be rescheduled or cancelled", async ({ page }) => {
    await page.goto("/dashboard");
    const post = await createDraft(page, { title: "Maybe next week", markdown: "Not yet." });
    await page.goto(`/editor/${post.id}`);
    const publishing = page.getByRole("region", { name: "Publishing" });

    await publishing.getByRole("button", { name: "Schedule for later" }).click();
    await publishing.getByLabel("Publish at").fill("");
    await publishing.getByRole("button", { name: "Schedule", exact: true }).click();
    await expect(publishing.getByText("Choose a date and time.")).toBeVisible();
    await publishing.getByLabel("Publish at").fill(await localDateTime(page, -3600));
    await publishing.getByRole("button", { name: "Schedule", exact: true }).click();
    await expect(publishing.getByText("Choose a time in the future.")).toBeVisible();

    await publishing.getByLabel("Publish at").fill(await localDateTime(page, 7 * 24 * 3600));
    await publishing.getByRole("button", { name: "Schedule", exact: true }).click();
    await expect(editorStatus(page)).toContainText("Scheduled");

    await publishing.getByRole("button", { name: "Reschedule" }).click();
    await publishing.getByLabel("Publish at").fill(await localDateTime(page, 14 * 24 * 3600));
    await publishing.getByRole("button", { name: "Save new time" }).click();
    await expect(publishing.getByRole("button", { name: "Reschedule" })).toBeVisible();
    await expect(editorStatus(page)).toContainText("Scheduled");

    await publishing.getByRole("button", { name: "Cancel schedule" }).click();
    await expect(editorStatus(page)).toContainText("Draft");
    await expect(publishing).not.toContainText("Scheduled to publish on");
  });
});

test.describe("History", () => {
  test("lists published versions, compares one with the current text, and restores it as a new version", async ({ page }) => {
    await page.goto("/dashboard");
    const created = await createDraft(page, { title: "Second thoughts", markdown: "The first opinion, firmly held." });
    const first = await publishAndWait(page, created);
    expect(first.version).toBe(1);
    await callTrpc(page, "posts.update", { id: created.id, version: 1, markdown: "The second opinion, loosely held." }, "mutation");
    expect((await publishAndWait(page, { ...created, version: 2 })).version).toBe(2);

    await page.goto(`/editor/${created.id}`);
    const history = page.getByRole("region", { name: "History" }).getByRole("list", { name: "Published versions" });
    await expect(history.getByRole("listitem")).toHaveCount(2);
    await expect(history.getByRole("listitem").first()).toContainText("Version 2");
    await expect(history.getByRole("listitem").first()).toContainText("live");

    await history.getByRole("button", { name: "View version 1" }).click();
    const dialog = page.getByRole("dialog", { name: "Version 1" });
    await expect(dialog).toBeVisible();
    const differences = dialog.getByRole("group", { name: "Differences between version 1 and the current text" });
    await expect(differences.locator("del")).toContainText(["first"]);
    await expect(differences.locator("ins")).toContainText(["second"]);
    await expectAccessible(page, "dialog[open]");
    await dialog.getByRole("button", { name: "Read" }).click();
    await expect(dialog.getByText("The first opinion, firmly held.")).toBeVisible();

    await dialog.getByRole("button", { name: "Restore this version" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText("Version 1 restored: it is now version 3.")).toBeVisible();
    await expect.poll(() => editorMarkdown(page)).toBe("The first opinion, firmly held.");
    await expect(saveStatus(page)).toHaveText(/All changes saved/);

    // A restore is an ordinary edit of the working copy: private until Update, which adds it to the history.
    await expect(editorStatus(page)).toContainText("Live — 1 unpublished change");
    await expect(history.getByRole("listitem")).toHaveCount(2);
    await confirmInReviewSheet(page, "Update");
    await expect(history.getByRole("listitem")).toHaveCount(3, { timeout: 30_000 });
    await page.reload();
    await expect(editorBody(page)).toHaveText("The first opinion, firmly held.");
  });
});
