import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { simpleParser } from "mailparser";
import postgres from "postgres";
import { readOutbox } from "../../scripts/outbox";
import {
  expectAccessible,
  mailedToken,
  newWriter,
  outboxDir,
  publishPost,
  signIn,
  signUpElsewhere,
  submitSignUp,
  writePost,
  type Writer,
} from "./helpers";

// The newsletter as readers and writers use it: subscribing from a writer's page and under a post (with
// and without JavaScript), the mailed confirmation link, the writer's Subscribers page, Publish and email
// from the editor with its live progress, a reader ending subscriptions from the link in the mail, and a
// signed-in reader's one-click subscription. Every page is checked with axe.

let writer: Writer;
let postPath: string;

/** A browser context of its own with a new account signed up (its mailed link followed) and signed in. */
async function signedUpIn(browser: Browser, baseURL: string | undefined, name: string): Promise<{ context: BrowserContext; page: Page; account: Writer }> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const account = newWriter(name);
  await signUpElsewhere(page, account);
  return { context, page, account };
}

test.beforeAll(async ({ browser, baseURL }) => {
  const { context, page, account } = await signedUpIn(browser, baseURL, "letters");
  writer = account;
  ({ path: postPath } = await publishPost(page, writer, { title: "A post with a subscribe form", markdown: "Readers can subscribe below." }));
  await context.close();
});

const reader = (name: string) => `${name}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}@readers.example.test`;

/** Fills the subscribe form of the writer's section on the page and submits it. */
async function subscribeWith(page: Page, to: Writer, email: string): Promise<void> {
  const form = page.getByRole("region", { name: `Get ${to.displayName}’s posts by email` });
  await form.getByLabel("Email address").fill(email);
  await form.getByRole("button", { name: "Subscribe", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Check your inbox" })).toBeVisible();
  await expectMainAccessible(page);
}

/** Follows the mailed confirmation link and presses its button (only the POST confirms). */
async function confirmFromMail(page: Page, to: Writer, email: string): Promise<void> {
  const token = await mailedToken(email, "newsletter-confirm");
  await page.goto(`/subscribe/confirm?token=${encodeURIComponent(token)}`);
  await expect(page.getByRole("heading", { level: 1, name: "Confirm your subscription" })).toBeVisible();
  await expectMainAccessible(page);
  await page.getByRole("button", { name: `Confirm my subscription to ${to.displayName}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: "You are subscribed" })).toBeVisible();
  await expectMainAccessible(page);
}

/** Pages opened with JavaScript off (axe-core, being a script, cannot run in them). */
const scriptless = new WeakSet<Page>();

async function withoutJavaScript<T>(browser: Browser, baseURL: string | undefined, run: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    scriptless.add(page);
    return await run(page);
  } finally {
    await context.close();
  }
}

/** axe on the page's main content; a page without JavaScript is checked as the same address opened with it (every page here is a safe GET). */
async function expectMainAccessible(page: Page): Promise<void> {
  if (!scriptless.has(page)) return expectAccessible(page, "main");
  const browser = page.context().browser();
  if (!browser) throw new Error("no browser");
  const context = await browser.newContext();
  try {
    const withScripts = await context.newPage();
    await withScripts.goto(page.url());
    await expectAccessible(withScripts, "main");
  } finally {
    await context.close();
  }
}

/** The newsletter mail (.eml in the outbox) to `to`, waiting for the worker to write it. */
async function newsletterMail(to: string) {
  const dir = outboxDir();
  const marker = `-newsletter-${to.replace(/[^a-zA-Z0-9.@-]/g, "")}-`;
  let file: string | undefined;
  await expect
    .poll(async () => {
      file = (await readdir(dir)).find((name) => name.includes(marker) && name.endsWith(".eml"));
      return file !== undefined;
    }, { timeout: 30_000, message: `newsletter mail to ${to}` })
    .toBe(true);
  return simpleParser(await readFile(path.join(dir, file ?? ""), "utf8"));
}

test.describe("subscribing", () => {
  test("from the writer's page without JavaScript: check your inbox, then the mailed link confirms", async ({ browser, baseURL }) => {
    const email = reader("nojs");
    await withoutJavaScript(browser, baseURL, async (page) => {
      await page.goto(`/@${writer.username}`);
      await expectMainAccessible(page);
      await subscribeWith(page, writer, email);
      await confirmFromMail(page, writer, email);
    });
  });

  test("under a post with JavaScript; a used link is refused with a sentence", async ({ page }) => {
    const email = reader("js");
    await page.goto(postPath);
    await expectMainAccessible(page);
    await subscribeWith(page, writer, email);
    await confirmFromMail(page, writer, email);
    const token = await mailedToken(email, "newsletter-confirm");
    await page.goto(`/subscribe/confirm?token=${encodeURIComponent(token)}`);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("This link has expired or was already used. Subscribe again to get a new one.");
  });

  test("under a post without JavaScript, a malformed address is refused and nothing is mailed", async ({ browser, baseURL }) => {
    await withoutJavaScript(browser, baseURL, async (page) => {
      await page.goto(postPath);
      const form = page.getByRole("region", { name: `Get ${writer.displayName}’s posts by email` });
      await form.getByLabel("Email address").fill("not an address");
      await form.getByRole("button", { name: "Subscribe", exact: true }).click();
      await expect(page.getByText("Enter a valid email address (at most 254 characters).")).toBeVisible();
      await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
      await expectMainAccessible(page);
    });
  });
});

test.describe("subscribing with one click, signed in", () => {
  test("by keyboard from the writer's page: an accessible pending state, focus on the confirmation, active on the writer's list at once; pressing again adds nobody", async ({ browser, baseURL }) => {
    test.setTimeout(120_000);
    // Reader B: an account whose address its sign-up link confirmed (the link signs B in).
    const { context: readerContext, page, account: readerB } = await signedUpIn(browser, baseURL, "reader");

    const section = (on: Page) => on.getByRole("region", { name: `Get ${writer.displayName}’s posts by email` });
    const oneClick = (on: Page) => section(on).getByRole("button", { name: "Subscribe with my account’s address" });
    const subscribed = (on: Page) => section(on).getByText(`You receive ${writer.displayName}’s posts by email.`, { exact: true });

    // A second tab left open on a post before B subscribes: its button is stale by the time B presses it.
    const staleTab = await readerContext.newPage();
    await staleTab.goto(postPath);
    await expect(oneClick(staleTab)).toBeVisible();

    await page.goto(`/@${writer.username}`);
    await expect(oneClick(page)).toBeVisible();
    await expectMainAccessible(page);

    await test.step("reached with Tab after the email form, pressed with Enter; busy while the request runs", async () => {
      await section(page).getByRole("button", { name: "Subscribe", exact: true }).focus();
      await page.keyboard.press("Tab");
      await expect(oneClick(page)).toBeFocused();
      // The request is held until the busy state has been seen (it is too quick to catch otherwise).
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const subscribeRequest = /\/api\/trpc\/[^?]*newsletter\.subscribeMe/;
      await page.route(subscribeRequest, async (route) => {
        await released;
        await route.continue();
      });
      await page.keyboard.press("Enter");
      await expect(oneClick(page)).toHaveAttribute("aria-busy", "true");
      await expect(oneClick(page)).toBeDisabled();
      release();
      await expect(subscribed(page)).toBeVisible();
      await page.unroute(subscribeRequest);
    });

    await test.step("the confirmation takes the button's place and the focus (so a screen reader reads it)", async () => {
      await expect(oneClick(page)).toHaveCount(0);
      await expect(subscribed(page)).toBeFocused();
      await expectMainAccessible(page);
    });

    await test.step("the stale tab's button, clicked again: the same confirmation", async () => {
      await oneClick(staleTab).click();
      await expect(subscribed(staleTab)).toBeVisible();
    });

    await test.step("reloaded, and under a post: already subscribed, no button", async () => {
      await page.reload();
      await expect(subscribed(page)).toBeVisible();
      await expect(oneClick(page)).toHaveCount(0);
      await page.goto(postPath);
      await expect(subscribed(page)).toBeVisible();
      await expect(oneClick(page)).toHaveCount(0);
      await expectMainAccessible(page);
    });

    await readerContext.close();

    await test.step("writer A's Subscribers page lists B's address once, active", async () => {
      const writerContext = await browser.newContext({ baseURL });
      const writerPage = await writerContext.newPage();
      await signIn(writerPage, writer);
      await writerPage.goto("/dashboard/subscribers");
      await expect(writerPage.getByRole("heading", { level: 1, name: "Subscribers" })).toBeVisible();
      await writerPage.getByLabel("Search by address").fill(readerB.email);
      const list = writerPage.getByRole("table", { name: /Your subscribers/ });
      await expect(list.getByRole("row")).toHaveCount(2); // the header and B, once
      await expect(list.getByRole("row").nth(1).getByRole("cell")).toHaveText([readerB.email, "active", /^\d{4}-\d{2}-\d{2}$/, "Remove"]);
      await expectMainAccessible(writerPage);
      await writerContext.close();
    });

    // The account's address is confirmed already: no confirmation link was mailed to it (by now the
    // worker would have sent one, as it did within the steps above for the form's subscribers).
    const confirmationMails = (await readOutbox(outboxDir())).filter((mail) => mail.to === readerB.email && mail.kind === "newsletter-confirm");
    expect(confirmationMails).toEqual([]);
  });
});

test.describe("the writer's audience and sending", () => {
  test("Subscribers page: count, chart, search, remove, CSV export and import with consent; Publish and email; the reader manages subscriptions", async ({ browser, baseURL }) => {
    test.setTimeout(180_000);
    // A writer of its own: the counts below are this test's readers only.
    const { context, page, account: author } = await signedUpIn(browser, baseURL, "audience");

    const [first, second] = [reader("alpha"), reader("beta")];
    for (const email of [first, second]) {
      await withoutJavaScript(browser, baseURL, async (readerPage) => {
        await readerPage.goto(`/@${author.username}`);
        await subscribeWith(readerPage, author, email);
        await confirmFromMail(readerPage, author, email);
      });
    }

    const activeCount = page.getByRole("term").filter({ hasText: /^Active$/ }).locator("xpath=following-sibling::dd[1]");
    const list = page.getByRole("table", { name: /Your subscribers/ });

    await test.step("count, chart and list", async () => {
      await page.getByRole("link", { name: "Subscribers" }).first().click();
      await expect(page.getByRole("heading", { level: 1, name: "Subscribers" })).toBeVisible();
      await expect(activeCount).toHaveText("2");
      await expect(page.getByRole("img", { name: /^Growth over 30 days\. Active subscribers went from \d+ on [\d-]+ to 2 on [\d-]+\.$/ })).toBeVisible();
      await expect(list.getByRole("row")).toHaveCount(3); // the header and two readers
      await expectMainAccessible(page);
    });

    await test.step("search", async () => {
      await page.getByLabel("Search by address").fill("alpha-");
      await expect(list.getByRole("row")).toHaveCount(2);
      await expect(list.getByRole("cell", { name: first, exact: true })).toBeVisible();
      await page.getByLabel("Search by address").fill("nobody-like-this");
      await expect(page.getByText("No subscriber matches that search.")).toBeVisible();
      await page.getByLabel("Search by address").fill("");
      await expect(list.getByRole("row")).toHaveCount(3);
    });

    await test.step("CSV export", async () => {
      const download = page.waitForEvent("download");
      await page.getByRole("link", { name: "Export CSV" }).click();
      const csv = await readFile((await (await download).path()) ?? "", "utf8");
      expect(csv).toContain(first);
      expect(csv).toContain(second);
    });

    const imported = reader("imported");
    await test.step("CSV import waits for the consent checkbox", async () => {
      await page.getByLabel("CSV file").setInputFiles({ name: "list.csv", mimeType: "text/csv", buffer: Buffer.from(`email\n${imported.toUpperCase()}\n${imported}\n${first}\n`) });
      await page.getByLabel("How did these readers agree to receive your posts?").fill("They signed up at my readings.");
      await page.getByRole("button", { name: "Import", exact: true }).click();
      await expect(page.getByRole("status").filter({ hasText: /^Imported/ })).toHaveText("Imported 1; 1 already on your list, 1 repeated in the file.");
      await expect(activeCount).toHaveText("2");
      const start = page.getByRole("button", { name: "Start emailing them" });
      await expect(start).toBeDisabled();
      await expectMainAccessible(page);
      await page.getByRole("checkbox", { name: "The 1 imported readers agreed to receive my posts by email." }).check();
      await start.click();
      await expect(activeCount).toHaveText("3");
    });

    await test.step("remove", async () => {
      await page.getByRole("button", { name: `Remove ${second}` }).click();
      await expect(list.getByRole("cell", { name: second, exact: true })).toBeHidden();
      await expect(activeCount).toHaveText("2");
    });

    await test.step("Publish and email from the editor; the progress shows on the post", async () => {
      await writePost(page, { title: "News for my readers", markdown: "This one goes to your inbox." });
      await page.getByRole("button", { name: "Publish…" }).click();
      const sheet = page.getByRole("dialog", { name: /^Publish “/ });
      await sheet.getByRole("radio", { name: "Publish and email 2 subscribers" }).check();
      await expectAccessible(page, "dialog[open]");
      await sheet.getByRole("button", { name: "Publish now" }).click();
      await expect(sheet).toBeHidden();
      const email = page.getByRole("region", { name: "Email", exact: true });
      await expect(email.getByRole("status")).toHaveText("Sent to 2 of 2.", { timeout: 30_000 });
      await expectMainAccessible(page);
    });

    await test.step("a post published only is not emailed; the Subscribers page keeps the history", async () => {
      await writePost(page, { title: "Not for the inbox", markdown: "Readers find this on the site." });
      await page.getByRole("button", { name: "Publish…" }).click();
      const sheet = page.getByRole("dialog", { name: /^Publish “/ });
      await sheet.getByRole("radio", { name: "Publish only" }).check();
      await sheet.getByRole("button", { name: "Publish now" }).click();
      await expect(sheet).toBeHidden();
      await expect(page.getByRole("region", { name: "Email", exact: true }).getByRole("status")).toHaveText("Not emailed. You have 2 subscribers.");
      await page.goto("/dashboard/subscribers");
      const history = page.getByRole("table", { name: /Each emailed post/ });
      await expect(history.getByRole("row")).toHaveCount(2);
      await expect(history.getByRole("row").nth(1).getByRole("cell")).toHaveText([/./, "sent", "2", "2", "0", "0"]);
    });
    await context.close();

    await test.step("the reader sees and ends subscriptions from the mail's link", async () => {
      const mail = await newsletterMail(first);
      expect(mail.subject).toBe("News for my readers");
      const manage = /Manage your subscriptions: (\S+)/.exec(mail.text ?? "")?.[1];
      expect(manage).toBeDefined();
      await withoutJavaScript(browser, baseURL, async (readerPage) => {
        await readerPage.goto(manage ?? "");
        await expect(readerPage.getByRole("heading", { level: 1, name: "Your subscriptions" })).toBeVisible();
        await expect(readerPage.getByRole("link", { name: author.displayName })).toBeVisible();
        await expectMainAccessible(readerPage);
        await readerPage.getByRole("button", { name: `Unsubscribe from ${author.displayName}` }).click();
        await expect(readerPage.getByRole("main").getByRole("status")).toHaveText("Unsubscribed.");
        await expect(readerPage.getByText("This address receives no one’s posts.")).toBeVisible();
        await expectMainAccessible(readerPage);
      });
    });

    await test.step("the mail's Unsubscribe link ends one subscription with one press, no account", async () => {
      const mail = await newsletterMail(imported);
      const unsubscribe = /Unsubscribe: (\S+)/.exec(mail.text ?? "")?.[1];
      expect(unsubscribe).toBeDefined();
      await withoutJavaScript(browser, baseURL, async (readerPage) => {
        await readerPage.goto(unsubscribe ?? "");
        await expect(readerPage.getByRole("heading", { level: 1, name: "Unsubscribe" })).toBeVisible();
        await expectMainAccessible(readerPage);
        await readerPage.getByRole("button", { name: `Unsubscribe from ${author.displayName}` }).click();
        await expect(readerPage.getByRole("main").getByRole("status")).toHaveText(`You no longer receive ${author.displayName}’s posts by email.`);
        await expectMainAccessible(readerPage);
      });
    });
  });
});

test("a writer cannot take the name of an InkWell page: the sign-up form says why", async ({ page }) => {
  const someone = newWriter("taken");
  await page.goto("/sign-up");
  await page.getByLabel("Display name").fill(someone.displayName);
  await page.getByLabel("Username").fill("subscriptions");
  await page.getByLabel("Email").fill(someone.email);
  await page.getByLabel("Password").fill(someone.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("That username is reserved for a page of InkWell. Choose another.")).toBeVisible();
  await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");
  await expectMainAccessible(page);
});

test("a sign-up made before its username was reserved cannot confirm it: the page names it and says what to do, which works", async ({ page }) => {
  const early = newWriter("early");
  await submitSignUp(page, early);
  const firstLink = await mailedToken(early.email, "verify-email");
  // The form refuses reserved names now: the earlier sign-up's row is renamed directly.
  const sql = postgres(readFileSync(path.join(outboxDir(), ".database-url"), "utf8"), { max: 1 });
  try {
    await sql`update users.users set username = 'subscriptions' where email = ${early.email}`;
  } finally {
    await sql.end();
  }

  await page.goto(`/verify-email?token=${encodeURIComponent(firstLink)}`);
  await page.getByLabel("Password").fill(early.password);
  await page.getByRole("button", { name: "Confirm email address" }).click();
  const refusal = page.getByRole("main").getByRole("alert");
  await expect(refusal).toHaveText(
    "The username subscriptions is no longer available: InkWell now keeps it for one of its own pages. Sign up again with the same address and another username; this link stops working then. Sign up again",
  );
  await expect(page).toHaveURL(/\/verify-email\?/);
  await expectMainAccessible(page);

  // Following the advice: the alert's link, the same address, another username.
  await refusal.getByRole("link", { name: "Sign up again" }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  const renamed = { ...early, username: `${early.username.slice(0, 26)}_new` };
  const resignedAt = new Date();
  await submitSignUp(page, renamed);
  const newLink = await mailedToken(early.email, "verify-email", resignedAt);
  expect(newLink).not.toBe(firstLink);
  await page.goto(`/verify-email?token=${encodeURIComponent(newLink)}`);
  await page.getByLabel("Password").fill(early.password);
  await page.getByRole("button", { name: "Confirm email address" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your posts" })).toBeVisible();
  await page.goto(`/@${renamed.username}`);
  await expect(page.getByRole("heading", { level: 1, name: early.displayName })).toBeVisible();
});

test("a forged refusal code on /verify-email names no username: markup, an overlong or an uppercase name get the plain invalid-link message", async ({ page }) => {
  // The page shows a name only from `username-reserved:<name>` with a name a username can be. Whatever
  // else reaches it as the sign-in answer's code (a tampered response, a future Auth.js change) is shown
  // as the generic refusal, never as text or markup of its own.
  const forged = [
    'username-reserved:<img src=x onerror="document.title=`pwned`">',
    `username-reserved:${"a".repeat(31)}`,
    "username-reserved:Subscriptions",
    "username-reserved:subscriptions\nSign in at evil.example",
  ];
  const invalidLink = "This link is invalid, was already used, or has expired. If your address is confirmed already, sign in; otherwise sign up again to get a new link.";
  /** Confirms on /verify-email with the sign-in answer replaced by one carrying `code`; the refusal shown. */
  const refusalFor = async (code: string) => {
    await page.route("**/api/auth/callback/email-token**", (route) =>
      route.fulfill({ status: 401, contentType: "application/json", body: JSON.stringify({ url: `${new URL(page.url()).origin}/sign-in?error=CredentialsSignin&code=${encodeURIComponent(code)}` }) }),
    );
    await page.goto(`/verify-email?token=${"t".repeat(43)}`);
    await page.getByLabel("Password").fill("any password at all");
    await page.getByRole("button", { name: "Confirm email address" }).click();
    const refusal = page.getByRole("main").getByRole("alert");
    await expect(refusal).toBeVisible();
    await page.unrouteAll();
    return refusal;
  };
  // The replaced answer does reach the page: a well-formed code names its username.
  await expect(await refusalFor("username-reserved:subscriptions")).toContainText("The username subscriptions is no longer available");
  for (const code of forged) {
    const refusal = await refusalFor(code);
    await expect(refusal).toContainText(invalidLink);
    await expect(refusal).not.toContainText("no longer available");
    await expect(page.locator("main img")).toHaveCount(0);
    expect(await page.title()).not.toBe("pwned");
  }
  await expectMainAccessible(page);
});
