import { test as base, expect } from "@playwright/test";
import { createDraft, editorBody, editorMarkdown, expectAccessible, saveStatus, signUpOnce, typeAtEnd, type StorageState, type Writer } from "./helpers";

// The writer's desk, part 2: two tabs on one post. A save based on an old version is refused, and the
// writer chooses between the versions; nothing is overwritten silently.

const test = base.extend<object, { account: { writer: Writer; state: StorageState } }>({
  account: [async ({ browser }, provide, workerInfo) => provide(await signUpOnce(browser, workerInfo.project.use.baseURL ?? "", "twotabs")), { scope: "worker" }],
  storageState: async ({ account }, provide) => provide(account.state),
});

test.describe("Two tabs editing one post", () => {
  test("get a conflict dialog with both versions, not a lost edit", async ({ page: first, context }) => {
    await first.goto("/dashboard");
    const post = await createDraft(first, { title: "Shared notes", markdown: "Common start." });
    await first.goto(`/editor/${post.id}`);
    const second = await context.newPage();
    await second.goto(`/editor/${post.id}`);
    await expect(saveStatus(first)).toHaveText("All changes saved");
    await expect(saveStatus(second)).toHaveText("All changes saved");

    await test.step("the second tab saves first", async () => {
      await typeAtEnd(second, " Added in the second tab.");
      await expect(saveStatus(second)).toContainText(/All changes saved at \d/);
    });

    const dialog = first.getByRole("dialog", { name: "This post was changed elsewhere" });
    await test.step("the first tab, still on the old version, is told instead of overwriting", async () => {
      await typeAtEnd(first, " Added in the first tab.");
      await expect(dialog).toBeVisible();
      const differences = dialog.getByRole("group", { name: "Differences between theirs and yours" });
      // Word by word: theirs struck out, yours added.
      await expect(differences).toContainText("Common start. Added in the");
      await expect(differences.locator("del")).toHaveText(["[removed: second]"]);
      await expect(differences.locator("ins")).toHaveText(["[added: first]"]);
      await expect(dialog.getByRole("button", { name: "Keep mine" })).toBeFocused();
      await expect(saveStatus(first)).toHaveText("Not saved: changed elsewhere");
      await expectAccessible(first, "dialog[open]");
    });

    await test.step("Escape closes the dialog; the choice stays open", async () => {
      await first.keyboard.press("Escape");
      await expect(dialog).toBeHidden();
      await expect(first.getByRole("alert").filter({ hasText: "this post changed elsewhere" })).toBeVisible();
      await expect(editorBody(first)).toContainText("Common start. Added in the first tab.");
      await first.getByRole("button", { name: "Compare and choose" }).click();
      await expect(dialog).toBeVisible();
    });

    await test.step("keep mine saves the first tab's text on top of the second's version", async () => {
      await dialog.getByRole("button", { name: "Keep mine" }).click();
      await expect(dialog).toBeHidden();
      await expect(saveStatus(first)).toContainText(/All changes saved at \d/);
      // The second tab hears of the newer version and, having nothing unsaved, can load it.
      await second.getByRole("button", { name: "Load the newer version" }).click();
      await expect.poll(() => editorMarkdown(second)).toBe("Common start. Added in the first tab.");
    });

    await test.step("take theirs replaces the text with the other tab's", async () => {
      await typeAtEnd(second, " Second tab again.");
      await expect(saveStatus(second)).toContainText(/All changes saved at \d/);
      await typeAtEnd(first, " First tab again.");
      await expect(dialog).toBeVisible();
      await dialog.getByRole("button", { name: "Take theirs" }).click();
      await expect(dialog).toBeHidden();
      await expect.poll(() => editorMarkdown(first)).toBe("Common start. Added in the first tab. Second tab again.");
      await expect(saveStatus(first)).toHaveText(/All changes saved/);
      await first.reload();
      await expect.poll(() => editorMarkdown(first)).toBe("Common start. Added in the first tab. Second tab again.");
    });
  });
});
