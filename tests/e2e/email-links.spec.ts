import { expect, test } from "@playwright/test";
import { expectAccessible, mailedToken, newWriter, signIn, signOut, signUp, submitSignUp } from "./helpers";

// The links InkWell mails, followed the way a writer does: the worker writes each mail to this run's
// outbox, the test reads the link from it and opens it in the browser.

test.describe("sign-up by email link", () => {
  test("sign up → check your email → confirm → dashboard; before that, sign-in is refused", async ({ page }) => {
    const writer = newWriter("verify");

    await test.step("the form says to check the mailbox", async () => {
      await submitSignUp(page, writer);
      await expect(page.getByRole("status")).toContainText(writer.email);
      await expectAccessible(page, "main");
    });

    await test.step("signing in before confirming gets the generic refusal", async () => {
      await page.goto("/sign-in");
      await page.getByLabel("Email").fill(writer.email);
      await page.getByLabel("Password").fill(writer.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("main").getByRole("alert")).toHaveText(/^Wrong email or password\./);
    });

    const token = await mailedToken(writer.email, "verify-email");

    await test.step("opening the link changes nothing until the button is pressed", async () => {
      await page.goto(`/verify-email?token=${encodeURIComponent(token)}`);
      await expect(page.getByRole("heading", { level: 1, name: "Confirm your email" })).toBeVisible();
      await expectAccessible(page, "main");
      await page.reload(); // a second GET (a mail scanner's prefetch) does not use the token up
      await page.getByLabel("Password").fill(writer.password);
      await page.getByLabel("Password").press("Enter");
      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByRole("heading", { level: 1, name: "Your posts" })).toBeVisible();
    });

    await test.step("the link works once", async () => {
      await signOut(page);
      await page.goto(`/verify-email?token=${encodeURIComponent(token)}`);
      await page.getByLabel("Password").fill(writer.password);
      await page.getByRole("button", { name: "Confirm email address" }).click();
      await expect(page.getByRole("main").getByRole("alert")).toContainText("invalid, was already used, or has expired");
    });

    await test.step("the password signs in now", async () => {
      await signIn(page, writer);
    });
  });

  test("the link asks for the password of that sign-up: a wrong one confirms nothing", async ({ page }) => {
    const writer = newWriter("confirm");
    await submitSignUp(page, writer);
    const token = await mailedToken(writer.email, "verify-email");
    await page.goto(`/verify-email?token=${encodeURIComponent(token)}`);
    await page.getByLabel("Password").fill("not the password chosen");
    await page.getByRole("button", { name: "Confirm email address" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("not the password of the latest sign-up");
    await expectAccessible(page, "main");
    await page.getByLabel("Password").fill(writer.password);
    await page.getByRole("button", { name: "Confirm email address" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test("signing up with a registered address looks the same as with a new one", async ({ page }) => {
    const writer = newWriter("twice");
    await signUp(page, writer);
    await signOut(page);
    await submitSignUp(page, { ...writer, username: `${writer.username.slice(0, 24)}_again` });
    await expect(page.getByRole("status")).toContainText(writer.email);
  });
});

test.describe("password reset", () => {
  test("forgot password → reset link → new password → signed in; the old password is refused", async ({ page }) => {
    const writer = newWriter("reset");
    await signUp(page, writer);
    await signOut(page);

    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(page).toHaveURL(/\/forgot-password$/);
    await expectAccessible(page, "main");
    const asked = new Date();
    await page.getByLabel("Email").fill(writer.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("status")).toContainText(writer.email);

    const token = await mailedToken(writer.email, "reset-password", asked);
    await page.goto(`/reset-password?token=${encodeURIComponent(token)}`);
    await expectAccessible(page, "main");
    await page.getByLabel("New password").fill("a completely new passphrase");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);

    await signOut(page);
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(writer.email);
    await page.getByLabel("Password").fill(writer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(/^Wrong email or password\./);
    await signIn(page, { email: writer.email, password: "a completely new passphrase" });
  });

  test("an unknown address gets the same answer", async ({ page }) => {
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(`nobody-${Date.now()}@example.test`);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("status")).toContainText("If nobody-");
  });
});

test.describe("change of email", () => {
  test("settings → link to the new address → confirm → the new address signs in", async ({ page }) => {
    const writer = newWriter("move");
    await signUp(page, writer);
    const fresh = `moved_${writer.username}@example.test`;
    await page.goto("/dashboard/settings");
    const form = page.getByRole("form", { name: "Email" });
    await form.getByLabel("New email").fill(fresh);
    await form.getByLabel("Current password").fill(writer.password);
    await form.getByRole("button", { name: "Change email" }).click();
    await expect(form.getByRole("status")).toContainText(`Check ${fresh}`);

    const token = await mailedToken(fresh, "change-email");
    await page.goto(`/confirm-email?token=${encodeURIComponent(token)}`);
    await page.getByRole("button", { name: "Confirm new email address" }).click();
    await expect(page.getByRole("status")).toContainText(`You now sign in with ${fresh}`);

    await signOut(page);
    await signIn(page, { email: fresh, password: writer.password });
  });
});
