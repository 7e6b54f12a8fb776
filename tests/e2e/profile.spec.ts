import { expect, test } from "@playwright/test";
import { newWriter, signUpElsewhere } from "./helpers";

test.describe("Profile", () => {
  test("a writer edits their display name and bio and sees them on their public page", async ({ page }) => {
    const writer = newWriter("profile");
    await signUpElsewhere(page, writer);

    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Settings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    await expect(page.getByLabel("Display name")).toHaveValue(writer.displayName);

    await test.step("shows the shared validation message next to the field", async () => {
      await page.getByLabel("Display name").fill("   ");
      await page.getByRole("button", { name: "Save profile" }).click();
      const field = page.getByLabel("Display name");
      await expect(field).toHaveAttribute("aria-invalid", "true");
      await expect(field).toHaveAccessibleDescription(/Display name is required\./);
    });

    await test.step("saves and confirms; the header shows the new name", async () => {
      await page.getByLabel("Display name").fill("Marguerite Ink");
      await page.getByLabel("Bio").fill("I write about gardens, tea and slow mornings.");
      await page.getByRole("button", { name: "Save profile" }).click();
      await expect(page.getByText("Profile saved.")).toBeVisible();
      await expect(page.getByRole("banner")).toContainText("Marguerite Ink");
    });

    await test.step("the public author page shows them", async () => {
      await page.getByRole("link", { name: "View your public page" }).click();
      await expect(page).toHaveURL(new RegExp(`/@${writer.username}$`));
      await expect(page.getByRole("heading", { level: 1, name: "Marguerite Ink" })).toBeVisible();
      await expect(page.getByText(`@${writer.username}`, { exact: false }).first()).toBeVisible();
      await expect(page.getByText("I write about gardens, tea and slow mornings.")).toBeVisible();
      await expect(page).toHaveTitle(/Marguerite Ink/);
    });

    await test.step("and the name survives a reload (it is in the session)", async () => {
      await page.goto("/dashboard");
      await expect(page.getByRole("banner")).toContainText("Marguerite Ink");
    });
  });

  test("a writer changes their password: the old one stops working, the new one works", async ({ page }) => {
    const writer = newWriter("password");
    await signUpElsewhere(page, writer);
    await page.goto("/dashboard/settings");
    const form = page.getByRole("form", { name: "Password" });

    await test.step("a wrong current password is refused next to that field", async () => {
      await form.getByLabel("Current password").fill("not the password");
      await form.getByLabel("New password").fill("a brand new passphrase");
      await form.getByRole("button", { name: "Change password" }).click();
      await expect(form.getByLabel("Current password")).toHaveAccessibleDescription("Your current password is not right.");
    });

    await test.step("the right one changes it, and this browser stays signed in", async () => {
      await form.getByLabel("Current password").fill(writer.password);
      await form.getByRole("button", { name: "Change password" }).click();
      await expect(form.getByRole("status")).toHaveText(/Password changed/);
      await page.goto("/dashboard");
      await expect(page.getByRole("heading", { level: 1, name: "Your posts" })).toBeVisible();
    });

    await test.step("after signing out, only the new password signs in", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
      await page.goto("/sign-in");
      await page.getByLabel("Email").fill(writer.email);
      await page.getByLabel("Password").fill(writer.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("main").getByRole("alert")).toHaveText(/^Wrong email or password\./);
      await page.getByLabel("Password").fill("a brand new passphrase");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/\/dashboard$/);
    });
  });
});
