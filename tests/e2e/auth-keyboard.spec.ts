import { expect, test } from "@playwright/test";
import { newWriter, signUpOnce } from "./helpers";

// Signing in and up with the keyboard alone, at a desktop and a phone size: the tab order follows the
// form, Enter in the password field signs in, and a refused sign-up moves the focus to what to fix and
// says so out loud.

const viewports = [
  { name: "desktop", viewport: { width: 1280, height: 800 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
] as const;

for (const { name, viewport } of viewports) {
  test.describe(`Sign-in and sign-up on a ${name}`, () => {
    test.use({ viewport });

    test("tab goes Email → Password → Sign in → Forgot your password?, and Enter in the password field signs in", async ({ page, browser, baseURL }) => {
      test.setTimeout(120_000);
      const { writer } = await signUpOnce(browser, baseURL ?? "", "tabber");
      await page.goto("/sign-in");
      await page.getByRole("textbox", { name: "Email" }).focus();
      await page.keyboard.type(writer.email);
      await page.keyboard.press("Tab");
      await expect(page.getByLabel("Password")).toBeFocused();
      await page.keyboard.press("Tab");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeFocused();
      await page.keyboard.press("Tab");
      await expect(page.getByRole("link", { name: "Forgot your password?" })).toBeFocused();

      await page.getByLabel("Password").focus();
      await page.keyboard.type(writer.password);
      await page.keyboard.press("Enter");
      await expect(page).toHaveURL(/\/dashboard$/);
    });

    test("a refused sign-up focuses the first field to fix and announces the problem", async ({ page, browser, baseURL }) => {
      test.setTimeout(120_000);
      await page.goto("/sign-up");
      const create = page.getByRole("button", { name: "Create account" });
      await create.click();
      await expect(page.getByRole("textbox", { name: "Display name" })).toBeFocused();
      await expect(page.getByRole("alert").filter({ hasText: "Your account was not created" })).toBeVisible();

      // Fixed the first fields, but a username that is taken: the server refuses, the focus goes there.
      const { writer: taken } = await signUpOnce(browser, baseURL ?? "", "taken");
      const writer = newWriter("second");
      await page.getByLabel("Display name").fill(writer.displayName);
      await page.getByLabel("Username").fill(taken.username);
      await page.getByLabel("Email").fill(writer.email);
      await page.getByLabel("Password").fill(writer.password);
      await create.click();
      await expect(page.getByLabel("Username")).toBeFocused();
      await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByRole("alert").filter({ hasText: "Your account was not created: one field needs attention." })).toBeVisible();
    });
  });
}
