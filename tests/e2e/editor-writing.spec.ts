import { expect, test, type Page } from "@playwright/test";
import { confirmInReviewSheet, createDraft, editorBody, editorMarkdown, saveStatus, signUpOnce, type StorageState } from "./helpers";

// Writing in the editor as a writer does, at a desktop and a phone size: Enter keeps the text's
// structure, code is left alone, pasted rich text arrives as Markdown, autosave keeps up with steady
// typing, and the bar with the save status and Publish stays in reach.

const viewports = [
  { name: "desktop", viewport: { width: 1280, height: 800 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
] as const;

let state: StorageState;

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  ({ state } = await signUpOnce(browser, baseURL ?? "", "writing"));
});

/** Opens a saved draft with `markdown` and puts the caret at the end of its text. */
async function openDraft(page: Page, markdown: string) {
  await page.goto("/dashboard");
  const post = await createDraft(page, { title: "Structure", markdown });
  await page.goto(`/editor/${post.id}`);
  await editorBody(page).focus();
  await page.keyboard.press("ControlOrMeta+End");
  return post;
}

/** Pastes through a real paste event on the editor, with the given clipboard contents. */
async function paste(page: Page, data: { html?: string; plain?: string; imageFile?: boolean }) {
  await editorBody(page).evaluate((element, { html, plain, imageFile }) => {
    const transfer = new DataTransfer();
    if (html !== undefined) transfer.setData("text/html", html);
    if (plain !== undefined) transfer.setData("text/plain", plain);
    if (imageFile) transfer.items.add(new File([new Uint8Array([137, 80, 78, 71])], "screenshot.png", { type: "image/png" }));
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, data);
}

for (const { name, viewport } of viewports) {
  test.describe(`The editor on a ${name}`, () => {
    test.use({ viewport, storageState: async ({}, provide) => provide(state) });

    test("Enter twice after a list item leaves the list; the next paragraph is not part of it", async ({ page }) => {
      await openDraft(page, "Intro.\n");
      await page.keyboard.type("- first");
      await page.keyboard.press("Enter");
      await page.keyboard.type("second");
      await page.keyboard.press("Enter");
      await page.keyboard.press("Enter");
      await page.keyboard.type("After the list.");
      await expect.poll(() => editorMarkdown(page)).toBe("Intro.\n- first\n- second\n\nAfter the list.");
    });

    test("Enter twice in a quote leaves the quote", async ({ page }) => {
      await openDraft(page, "");
      await page.keyboard.type("> A quoted line");
      await page.keyboard.press("Enter");
      await page.keyboard.press("Enter");
      await page.keyboard.type("My own words.");
      await expect.poll(() => editorMarkdown(page)).toBe("> A quoted line\n\nMy own words.");
    });

    test("typing in a fenced JavaScript block adds no indentation", async ({ page }) => {
      await openDraft(page, "");
      await page.keyboard.type("```js");
      await page.keyboard.press("Enter");
      for (const line of ["function f() {", "return 1;", "}", "```", "", "After the code."]) {
        await page.keyboard.type(line);
        await page.keyboard.press("Enter");
      }
      await expect.poll(() => editorMarkdown(page)).toBe("```js\nfunction f() {\nreturn 1;\n}\n```\n\nAfter the code.\n");
    });

    test("pasted rich text becomes Markdown; plain text stays plain", async ({ page }) => {
      await openDraft(page, "");
      await paste(page, {
        html:
          '<h2>Release notes</h2><p>Some <strong>bold</strong>, <em>italic</em> and <a href="https://example.com/notes">a link</a>.</p>' +
          "<ul><li>one</li><li>two</li></ul><blockquote><p>quoted</p></blockquote><pre><code>let a = 1;</code></pre>" +
          "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>",
        plain: "Release notes Some bold, italic and a link. one two quoted let a = 1; A B 1 2",
      });
      await expect
        .poll(() => editorMarkdown(page))
        .toBe(
          "## Release notes\n\nSome **bold**, _italic_ and [a link](https://example.com/notes).\n\n- one\n- two\n\n> quoted\n\n```\nlet a = 1;\n```\n\n| A | B |\n| - | - |\n| 1 | 2 |",
        );
      await expect(page.getByRole("status").filter({ hasText: "Pasted as Markdown." })).toBeVisible();

      await page.keyboard.press("ControlOrMeta+End");
      await page.keyboard.press("Enter");
      await paste(page, { plain: "Just *plain* text, <b>kept</b> as typed." });
      await expect.poll(() => editorMarkdown(page)).toMatch(/\| 1 \| 2 \|\nJust \*plain\* text, <b>kept<\/b> as typed\.$/);
    });

    test("a pasted image file is uploaded; one that is not a usable image fails with the reason, text untouched", async ({ page }) => {
      await openDraft(page, "Text.");
      await paste(page, { imageFile: true });
      await expect(page.getByRole("status").filter({ hasText: "Failed: This file is not an image InkWell can use" })).toBeVisible();
      expect(await editorMarkdown(page)).toBe("Text.");
    });

    test("steady typing with no pause reaches the server within the first ten-odd seconds", async ({ page }) => {
      test.setTimeout(60_000);
      const post = await openDraft(page, "Start.");
      const saves: string[] = [];
      page.on("request", (request) => {
        if (request.method() === "POST" && request.url().includes("posts.update")) saves.push(request.postData() ?? "");
      });
      // About 100 words a minute, a key every 120 ms: never the one-second pause the debounce waits for.
      const sentence = " the kettle sang while I wrote and wrote";
      let typed = "";
      while (saves.length === 0 && typed.length < 40 * sentence.length) {
        await page.keyboard.type(sentence, { delay: 120 });
        typed += sentence;
      }
      // A save went out while typing went on (the loop stops at the first one, or after ~3 minutes).
      expect(saves.length).toBeGreaterThan(0);
      expect(saves[0]).toContain(post.id);
      expect(saves[0]).toContain("kettle sang");
    });

    test("the bar with the save status, Save and Publish stays in view in a long post", async ({ page }) => {
      const words = Array.from({ length: 800 }, (_, i) => (i % 12 === 11 ? "word.\n\n" : "word")).join(" ");
      await openDraft(page, words);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await expect(saveStatus(page)).toBeInViewport();
      await expect(page.getByRole("button", { name: "Publish…", exact: true })).toBeInViewport();
      await expect(page.getByRole("button", { name: "Save", exact: true })).toBeInViewport();
      // The site's own header stepped aside (it scrolled away with the page).
      await expect(page.getByRole("banner")).not.toBeInViewport();
      // Typing keeps the caret in view below the bar, not hidden under it.
      await page.keyboard.press("ControlOrMeta+End");
      await page.keyboard.type(" More");
      const [bar, caret] = await Promise.all([page.locator("[data-editor-bar]").boundingBox(), page.locator(".cm-cursor-primary").boundingBox()]);
      expect(caret && bar && caret.y >= bar.y + bar.height).toBe(true);
    });

    test("when the session has ended, the 'not saved' banner links to sign-in", async ({ page, context }) => {
      await openDraft(page, "Written before the session ended.");
      await context.clearCookies();
      await page.keyboard.type(" And after.");
      const banner = page.getByRole("alert").filter({ hasText: "You are signed out" });
      await expect(banner).toBeVisible();
      const link = banner.getByRole("link", { name: /^Sign in/ });
      await expect(link).toHaveAttribute("href", "/sign-in");
      await expect(link).toHaveAttribute("target", "_blank");
    });

    test("Publish from the bar, then the share panel shows the link and the preview card", async ({ page }) => {
      const post = await openDraft(page, "A short note worth sharing, with an opening line readers see in previews.");
      await confirmInReviewSheet(page, "Publish");
      const share = page.getByRole("region", { name: "Share your post" });
      await expect(share).toBeVisible({ timeout: 30_000 });
      await expect(share.getByRole("textbox", { name: "Link" })).toHaveValue(new RegExp(`/@[^/]+/${post.slug}$`));
      await expect(share.getByRole("button", { name: "Copy link" })).toBeVisible();
      await expect(share.getByRole("figure")).toContainText("Structure");
      await expect(share.getByRole("figure")).toContainText("A short note worth sharing");
    });

    test("a new post starts in the title, and Tab goes on to the body", async ({ page }) => {
      await page.goto("/editor/new");
      const title = page.getByRole("textbox", { name: "Title" });
      await expect(title).toBeFocused();
      // Tab to the body is the editor's own key handling: wait until the page is hydrated (Preview is
      // enabled then), as a writer's first keystrokes on a slow machine otherwise meet the server HTML.
      await expect(page.getByRole("button", { name: "Preview" })).toBeEnabled();
      await page.keyboard.type("Typed straight away");
      await page.keyboard.press("Tab");
      await expect(editorBody(page)).toBeFocused();
      await page.keyboard.type("And the body.");
      await expect(title).toHaveValue("Typed straight away");
      await expect.poll(() => editorMarkdown(page)).toBe("And the body.");
    });
  });
}
