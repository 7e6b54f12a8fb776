import { expect, type Page } from "@playwright/test";

// Writers for end-to-end specs: unique per run, created through the real sign-up form.

export interface Writer {
  displayName: string;
  username: string;
  email: string;
  password: string;
}

let counter = 0;

/** A writer nobody has registered yet (usernames: 3–30 of a-z, 0-9, _). */
export function newWriter(prefix: string): Writer {
  counter += 1;
  const unique = `${Date.now().toString(36)}${counter}${Math.floor(Math.random() * 1296).toString(36)}`;
  const username = `${prefix}_${unique}`.slice(0, 30);
  const name = prefix.charAt(0).toUpperCase() + prefix.slice(1);
  return {
    displayName: `${name} Writer`,
    username,
    email: `${username}@example.test`,
    password: "correct horse battery staple",
  };
}

/** Signs up through /sign-up and waits for the dashboard. */
export async function signUp(page: Page, writer: Writer): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Display name").fill(writer.displayName);
  await page.getByLabel("Username").fill(writer.username);
  await page.getByLabel("Email").fill(writer.email);
  await page.getByLabel("Password").fill(writer.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your posts" })).toBeVisible();
}

/** Signs in through /sign-in. */
export async function signIn(page: Page, writer: Pick<Writer, "email" | "password">): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(writer.email);
  await page.getByLabel("Password").fill(writer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** The editor's live status (visibility and processing badges). */
export function editorStatus(page: Page) {
  return page.getByRole("status", { name: "Processing status" });
}

/** Writes a new post in the editor and saves it; returns the editor URL once the page has moved there. */
export async function writePost(page: Page, post: { title: string; markdown: string }): Promise<string> {
  await page.goto("/editor/new");
  await page.getByLabel("Title").fill(post.title);
  await page.getByLabel("Body (Markdown)").fill(post.markdown);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/);
  await expect(page.getByText("All changes saved")).toBeVisible();
  return page.url();
}
