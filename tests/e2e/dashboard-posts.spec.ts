import { test as base, expect, type Page } from "@playwright/test";
import { createDraft, expectAccessible, publishAndWait, signUpOnce, type StorageState, type Writer } from "./helpers";

// The dashboard: filters by status, title search, "Load more", unpublish, and delete with a confirmation.

const test = base.extend<object, { account: { writer: Writer; state: StorageState } }>({
  account: [async ({ browser }, provide, workerInfo) => provide(await signUpOnce(browser, workerInfo.project.use.baseURL ?? "", "dash")), { scope: "worker" }],
  storageState: async ({ account }, provide) => provide(account.state),
});

function postList(page: Page) {
  return page.getByRole("list", { name: "Your posts" });
}

function postItem(page: Page, title: string) {
  return postList(page).getByRole("listitem").filter({ has: page.getByRole("link", { name: title, exact: true }) });
}

test.describe("The dashboard", () => {
  test.describe.configure({ mode: "serial" });

  test("filters by status and searches titles, and the address keeps the choice", async ({ page }) => {
    await page.goto("/dashboard");
    await createDraft(page, { title: "Garden draft", markdown: "Weeds." });
    await createDraft(page, { title: "Kitchen draft", markdown: "Soup." });
    const published = await createDraft(page, { title: "Published garden diary", markdown: "Roses." });
    await publishAndWait(page, published);

    await page.reload();
    await expect(postList(page).getByRole("listitem")).toHaveCount(3);
    const filters = page.getByRole("group", { name: "Show posts" });
    await expect(filters.getByRole("button", { name: "All" })).toHaveAttribute("aria-pressed", "true");

    await filters.getByRole("button", { name: "Drafts" }).click();
    await expect(postList(page).getByRole("listitem")).toHaveCount(2);
    await expect(postItem(page, "Published garden diary")).toHaveCount(0);
    await expect(page).toHaveURL(/\?filter=draft$/);

    await filters.getByRole("button", { name: "Published" }).click();
    await expect(postList(page).getByRole("listitem")).toHaveCount(1);
    await expect(postItem(page, "Published garden diary")).toBeVisible();

    await filters.getByRole("button", { name: "Scheduled" }).click();
    await expect(page.getByRole("heading", { name: "No scheduled posts" })).toBeVisible();

    await filters.getByRole("button", { name: "All" }).click();
    await page.getByRole("searchbox", { name: "Search by title" }).fill("garden");
    await expect(postList(page).getByRole("listitem")).toHaveCount(2);
    await expect(postItem(page, "Kitchen draft")).toHaveCount(0);
    await expect(page).toHaveURL(/\?q=garden$/);

    await filters.getByRole("button", { name: "Drafts" }).click();
    await expect(postList(page).getByRole("listitem")).toHaveCount(1);
    await page.reload();
    await expect(page.getByRole("searchbox", { name: "Search by title" })).toHaveValue("garden");
    await expect(filters.getByRole("button", { name: "Drafts" })).toHaveAttribute("aria-pressed", "true");
    await expect(postList(page).getByRole("listitem")).toHaveCount(1);
    await expect(postItem(page, "Garden draft")).toBeVisible();

    await page.getByRole("searchbox", { name: "Search by title" }).fill("nothing like this");
    await expect(page.getByRole("heading", { name: "No drafts match “nothing like this”" })).toBeVisible();
    await page.getByRole("button", { name: "Show all posts" }).click();
    await expect(postList(page).getByRole("listitem")).toHaveCount(3);
  });

  test("unpublishes a post from the list", async ({ page }) => {
    await page.goto("/dashboard");
    const item = postItem(page, "Published garden diary");
    await expect(item).toContainText("Live");
    await item.getByRole("button", { name: "Unpublish “Published garden diary”" }).click();
    const sheet = page.getByRole("dialog", { name: "Unpublish “Published garden diary”" });
    await expect(sheet.getByText("What readers will see instead")).toBeVisible();
    await sheet.getByRole("button", { name: "Unpublish", exact: true }).click();
    await expect(sheet).toBeHidden();
    await expect(item).toContainText("Draft");
    await expect(item.getByRole("button", { name: /Unpublish/ })).toHaveCount(0);
  });

  test("deletes a post only after confirming, in an accessible dialog", async ({ page }) => {
    await page.goto("/dashboard");
    const item = postItem(page, "Kitchen draft");
    const deleteButton = item.getByRole("button", { name: "Delete “Kitchen draft”" });
    await deleteButton.click();

    const dialog = page.getByRole("dialog", { name: "Delete “Kitchen draft”?" });
    await expect(dialog).toBeVisible();
    const cancel = dialog.getByRole("button", { name: "Cancel" });
    const confirm = dialog.getByRole("button", { name: "Delete post" });
    await expect(cancel).toBeFocused();
    await expectAccessible(page, "dialog[open]");
    // Focus stays in the dialog.
    await page.keyboard.press("Tab");
    await expect(confirm).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(cancel).toBeFocused();
    await page.keyboard.press("Shift+Tab");
    await expect(confirm).toBeFocused();

    // Escape closes it, nothing is deleted, and focus goes back to the button.
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(item).toBeVisible();
    await expect(deleteButton).toBeFocused();

    await deleteButton.click();
    await dialog.getByRole("button", { name: "Delete post" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("status").filter({ hasText: "Deleted “Kitchen draft”." })).toBeVisible();
    await expect(item).toHaveCount(0);
    await page.reload();
    await expect(postItem(page, "Garden draft")).toBeVisible();
    await expect(postItem(page, "Kitchen draft")).toHaveCount(0);
  });

  test("loads more posts page by page", async ({ page }) => {
    await page.goto("/dashboard");
    for (let i = 1; i <= 22; i++) await createDraft(page, { title: `Bulk note ${String(i).padStart(2, "0")}`, markdown: "" });

    await page.goto("/dashboard?q=bulk");
    await expect(postList(page).getByRole("listitem")).toHaveCount(20);
    // Newest edit first.
    await expect(postList(page).getByRole("listitem").first()).toContainText("Bulk note 22");
    await page.getByRole("button", { name: "Load more" }).click();
    await expect(postList(page).getByRole("listitem")).toHaveCount(22);
    await expect(postList(page).getByRole("listitem").last()).toContainText("Bulk note 01");
    await expect(page.getByText("That’s all of them.")).toBeVisible();
  });
});
