import { test as base, expect } from "@playwright/test";
import { createDraft, editorBody, editorMarkdown, saveStatus, signUpOnce, typeAtEnd, type StorageState, type Writer } from "./helpers";

// The writer's desk, part 1: autosave, offline, and nothing lost when the tab closes.

const test = base.extend<object, { account: { writer: Writer; state: StorageState } }>({
  account: [async ({ browser }, provide, workerInfo) => provide(await signUpOnce(browser, workerInfo.project.use.baseURL ?? "", "desk")), { scope: "worker" }],
  storageState: async ({ account }, provide) => provide(account.state),
});

test.describe("The editor's autosave", () => {
  test("saves about a second after typing stops, and the text is there after a reload", async ({ page }) => {
    await page.goto("/editor/new");
    await expect(saveStatus(page)).toHaveText("New post");
    await page.getByLabel("Title").fill("Autosaved musings");
    await typeAtEnd(page, "Nobody pressed save for this sentence.");

    // No Save click: the post is created and saved by itself, and the address becomes the post's.
    await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/);
    await expect(saveStatus(page)).toContainText(/All changes saved at \d/);

    await page.reload();
    await expect(page.getByLabel("Title")).toHaveValue("Autosaved musings");
    await expect(editorBody(page)).toContainText("Nobody pressed save for this sentence.");
    expect(await editorMarkdown(page)).toBe("Nobody pressed save for this sentence.");
  });

  test("keeps typing offline, says it will retry, and saves once back online", async ({ page, context }) => {
    await page.goto("/dashboard");
    const post = await createDraft(page, { title: "Written on a train", markdown: "Before the tunnel." });
    await page.goto(`/editor/${post.id}`);
    await expect(saveStatus(page)).toHaveText("All changes saved");

    await context.setOffline(true);
    await typeAtEnd(page, " Inside the tunnel.");
    await expect(saveStatus(page)).toHaveText("Offline – will retry");

    await context.setOffline(false);
    await expect(saveStatus(page)).toContainText(/All changes saved at \d/);
    await page.reload();
    await expect(editorBody(page)).toContainText("Before the tunnel. Inside the tunnel.");
  });

  test("keeps every keystroke in the browser and offers it back after the tab was closed unsaved", async ({ page, context }) => {
    await page.goto("/dashboard");
    const post = await createDraft(page, { title: "Crash course", markdown: "Saved part." });
    // The server never hears of the edit: every save fails as if the network were gone.
    await page.route("**/api/trpc/**posts.update**", (route) => route.abort("internetdisconnected"));
    await page.goto(`/editor/${post.id}`);
    await typeAtEnd(page, " Unsaved part.");
    await expect(saveStatus(page)).toHaveText("Offline – will retry");
    await page.close();

    const again = await context.newPage();
    await again.goto(`/editor/${post.id}`);
    const recovered = again.getByRole("alert").filter({ hasText: "Text recovered from this device" });
    await expect(recovered).toBeVisible();
    await expect(editorBody(again)).toHaveText("Saved part.");
    await recovered.getByRole("button", { name: "Restore my text" }).click();
    await expect(recovered).toBeHidden();
    await expect(saveStatus(again)).toContainText(/All changes saved at \d/);
    await again.reload();
    await expect(editorBody(again)).toContainText("Saved part. Unsaved part.");
    // Once the server has it, the copy is gone: nothing is offered again.
    await expect(again.getByText("Text recovered from this device")).toHaveCount(0);
  });

  test("keeps a new post without a title in the browser until it can be saved", async ({ page, context }) => {
    await page.goto("/editor/new");
    await typeAtEnd(page, "An idea before it has a name.");
    await expect(saveStatus(page)).toContainText("Not saved yet");
    await expect(saveStatus(page)).toContainText("add a title to save");
    await page.close();

    const again = await context.newPage();
    await again.goto("/editor/new");
    await again.getByRole("button", { name: "Restore my text" }).click();
    await expect(editorBody(again)).toContainText("An idea before it has a name.");
    // Ctrl+S without a title says what is missing, next to the field.
    await again.keyboard.press("ControlOrMeta+s");
    await expect(again.getByText("Give the post a title.")).toBeVisible();
    await expect(again.getByLabel("Title")).toBeFocused();
    await again.getByLabel("Title").fill("Named at last");
    await expect(again).toHaveURL(/\/editor\/[0-9a-f-]{36}$/);
    await expect(saveStatus(again)).toContainText(/All changes saved at \d/);
  });
});

test.describe("Post settings", () => {
  test("are saved with the text, normalised like the server, with errors next to the fields", async ({ page }) => {
    await page.goto("/dashboard");
    await createDraft(page, { title: "Taken address", markdown: "First." });
    const post = await createDraft(page, { title: "Needs an address", markdown: "Second." });
    await page.goto(`/editor/${post.id}`);
    const settings = page.getByRole("region", { name: "Settings" });

    // A slug in use by another post: the server's message, next to the field; the rest still saves.
    await settings.getByLabel("Slug").fill("taken-address");
    await settings.getByLabel("Excerpt").fill("A short summary of my own.");
    await expect(settings.getByText("Another of your posts already uses that slug.")).toBeVisible();
    await expect(settings.getByLabel("Slug")).toHaveAttribute("aria-invalid", "true");
    // A title-like slug is turned into an address, not refused.
    await settings.getByLabel("Slug").fill("Bad Slug!");
    await settings.getByLabel("Slug").press("Tab");
    await expect(settings.getByLabel("Slug")).toHaveValue("bad-slug");
    await settings.getByLabel("Slug").fill("my-own-address");

    // Tags become the chips the server stores.
    const tags = settings.getByRole("textbox", { name: "Tags" });
    await tags.fill("Web Dev");
    await expect(settings.getByText("Will be added as #web-dev")).toBeVisible();
    await tags.press("Enter");
    await tags.fill("#React,");
    const chips = settings.getByRole("list", { name: "Tags on this post" });
    await expect(chips.getByRole("listitem")).toHaveText(["#web-dev", "#react"]);

    await settings.getByLabel("Canonical URL").fill("ftp://elsewhere.example");
    await expect(settings.getByText("The canonical URL must be an http:// or https:// address.")).toBeVisible();
    await settings.getByLabel("Canonical URL").fill("https://elsewhere.example/first");
    await settings.getByLabel("Cover image URL").fill("https://images.example/cover.jpg");
    await expect(saveStatus(page)).toContainText(/All changes saved at \d/);

    await page.reload();
    await expect(settings.getByLabel("Slug")).toHaveValue("my-own-address");
    await expect(settings.getByLabel("Excerpt")).toHaveValue("A short summary of my own.");
    await expect(chips.getByRole("listitem")).toHaveText(["#web-dev", "#react"]);
    await expect(settings.getByLabel("Canonical URL")).toHaveValue("https://elsewhere.example/first");
    await expect(settings.getByLabel("Cover image URL")).toHaveValue("https://images.example/cover.jpg");
    await chips.getByRole("button", { name: "Remove tag react" }).click();
    await expect(chips.getByRole("listitem")).toHaveText(["#web-dev"]);
    await expect(saveStatus(page)).toContainText(/All changes saved at \d/);
  });
});

test.describe("The Markdown editor", () => {
  test("formats from the toolbar and the shortcuts, previews, and lets the keyboard leave", async ({ page }) => {
    await page.goto("/dashboard");
    const post = await createDraft(page, { title: "Formatting", markdown: "" });
    await page.goto(`/editor/${post.id}`);

    const body = editorBody(page);
    await expect(body).toHaveAttribute("contenteditable", "true");
    const toolbar = page.getByRole("toolbar", { name: "Formatting" });
    for (const name of ["Heading", "Bold", "Italic", "Link", "Quote", "Code", "Bulleted list", "Image"]) {
      await expect(toolbar.getByRole("button", { name, exact: true })).toBeVisible();
    }

    await typeAtEnd(page, "loud");
    await page.keyboard.press("Shift+Home");
    await page.keyboard.press("ControlOrMeta+b");
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("soft");
    await page.keyboard.press("Shift+Home");
    await toolbar.getByRole("button", { name: "Italic", exact: true }).click();
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await toolbar.getByRole("button", { name: "Heading", exact: true }).click();
    await page.keyboard.type("Code sample");
    await page.keyboard.press("Enter");
    await page.keyboard.type("```js\nconst answer = 42;\n```\n");
    await expect.poll(() => editorMarkdown(page)).toBe("**loud**\n_soft_\n## Code sample\n```js\nconst answer = 42;\n```\n");

    // Live counts, as the server will count them.
    await expect(page.getByLabel("Length estimate")).toContainText("8 words");
    await expect(page.getByLabel("Length estimate")).toContainText("1 min read");

    // The preview is the server's rendering, highlighted code included.
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByRole("region", { name: "Preview" });
    await expect(preview.getByRole("heading", { level: 2, name: "Code sample" })).toBeVisible();
    await expect(preview.locator("strong")).toHaveText("loud");
    await expect(preview.locator(".hljs-keyword").first()).toHaveText("const");

    // Tab is not trapped in the editor: it moves on.
    await body.focus();
    await page.keyboard.press("Tab");
    await expect(body).not.toBeFocused();
    await expect(saveStatus(page)).toContainText(/All changes saved at \d/);
  });
});
