import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { isReservedUsername } from "@/lib/validations/reserved-usernames";
import { db } from "@/server/db";
import { emailTokens, users } from "@/server/users/schema";
import { authenticate, confirmEmailVerification, getPublicProfileByUsername } from "@/server/users/service";
import { AuthBrowser } from "./auth-browser";
import { PASSWORD, anonymous, newWriter, nthSignUpToken, startAccountsWorkerForFile, uniqueTag } from "./helpers";

// A name reserved for one of InkWell's pages after someone had signed up with it: the pending sign-up
// cannot confirm it (the person is told to sign up again with another name, which then works), while an
// account confirmed before the reservation keeps its name. The sign-up links are the ones the real
// accounts worker mails into this run's outbox.

startAccountsWorkerForFile();



async function accountOf(email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email));
  if (!row) throw new Error(`no account for ${email}`);
  return row;
}

/**
 * A sign-up made before `reserved` was reserved: the form refuses the name now, so the pending row is
 * registered under a free name and renamed directly, as the row of that earlier sign-up would read.
 */
async function pendingSignUpAs(reserved: string): Promise<{ email: string; link: string }> {
  expect(isReservedUsername(reserved)).toBe(true);
  const email = `early-${uniqueTag()}@example.com`;
  await anonymous().users.register({ email, username: `early_${uniqueTag()}`, displayName: "Early Bird", password: PASSWORD });
  const link = await nthSignUpToken(email, 1);
  await db.update(users).set({ username: reserved }).where(eq(users.email, email));
  return { email, link };
}

describe("a pending sign-up whose username is now reserved", () => {
  it("is refused with its name, changes nothing, and signing up again with another name confirms", async () => {
    const { email, link } = await pendingSignUpAs("subscriptions");
    const before = await accountOf(email);

    // The name is told only to whoever knows the sign-up's password.
    expect(await confirmEmailVerification(link, "not the password")).toEqual({ refused: "wrong-password" });
    expect(await confirmEmailVerification(link, PASSWORD)).toEqual({ refused: "username-reserved", username: "subscriptions" });
    // Nothing half done: the account is still pending under the same credentials, and the link is
    // unused, so following it again repeats the same advice instead of "this link is invalid".
    expect(await accountOf(email)).toEqual(before);
    const [token] = await db.select({ usedAt: emailTokens.usedAt }).from(emailTokens).where(eq(emailTokens.userId, before.id));
    expect(token?.usedAt).toBeNull();
    expect(await confirmEmailVerification(link, PASSWORD)).toEqual({ refused: "username-reserved", username: "subscriptions" });
    expect(await authenticate(email, PASSWORD)).toBeNull();
    expect(await getPublicProfileByUsername("subscriptions")).toBeNull();

    // The advice: sign up again with the same address and another username.
    const renamed = `later_${uniqueTag()}`;
    const newPassword = "a different passphrase";
    await anonymous().users.register({ email, username: renamed, displayName: "Early Bird", password: newPassword });
    const newLink = await nthSignUpToken(email, 2);
    expect(await confirmEmailVerification(link, PASSWORD)).toEqual({ refused: "invalid-link" }); // the earlier link stopped working
    const confirmed = await confirmEmailVerification(newLink, newPassword);
    expect(confirmed).toMatchObject({ user: { id: before.id, email, username: renamed } });
    expect(await authenticate(email, newPassword)).toMatchObject({ username: renamed });
    expect(await getPublicProfileByUsername(renamed)).toMatchObject({ id: before.id });
  });

  it("reaches the verify-email page through Auth.js as a code naming the username, with no session and no error page", async () => {
    const { email, link } = await pendingSignUpAs("unsubscribe");
    const browser = new AuthBrowser();
    const response = await browser.post("/api/auth/callback/email-token", { token: link, password: PASSWORD });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get("location") ?? "", "http://127.0.0.1").searchParams.get("code")).toBe("username-reserved:unsubscribe");
    expect(browser.sessionCookie()).toBeNull();
    expect((await accountOf(email)).emailVerifiedAt).toBeNull();
  });
});

describe("an account confirmed before its username was reserved", () => {
  it("keeps the name: it signs in and its public page is found", async () => {
    const { profile } = await newWriter("Keeper");
    await db.update(users).set({ username: "about" }).where(eq(users.id, profile.id));
    expect(isReservedUsername("about")).toBe(true);
    expect(await authenticate(profile.email, PASSWORD)).toMatchObject({ id: profile.id, username: "about" });
    expect(await getPublicProfileByUsername("about")).toMatchObject({ id: profile.id });
  });
});
