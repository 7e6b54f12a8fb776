import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { users } from "@/server/users/schema";
import { authenticate, confirmEmailVerification, getPublicProfileByUsername, issueEmailToken } from "@/server/users/service";
import { PASSWORD, anonymous, errorCode, eventually, newWriter, nthMail, nthSignUpToken, startAccountsWorkerForFile, uniqueTag, userIdByEmail } from "./helpers";

// Account pre-hijacking: someone registers an address that is not theirs, with a password of theirs,
// and waits for the owner to confirm it. Every variant runs through the real procedures and the real
// accounts worker; the links are read back from this run's outbox, as the owner's mailbox would get them.

startAccountsWorkerForFile();

const ATTACKER_PASSWORD = "the attacker's own secret";
const OWNER_PASSWORD = PASSWORD;

const register = (email: string, who: { username: string; displayName: string; password: string }) =>
  anonymous().users.register({ email, ...who });

const attacker = () => ({ username: `mal_${uniqueTag()}`, displayName: "Mallory", password: ATTACKER_PASSWORD });
const owner = () => ({ username: `own_${uniqueTag()}`, displayName: "Olivia", password: OWNER_PASSWORD });


async function accountOf(email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email));
  return row;
}

describe("a sign-up someone else made with the owner's address", () => {
  it("is replaced by the owner's: the owner's confirmation gives the attacker no way in", async () => {
    const email = `victim-${uniqueTag()}@example.com`;
    const mallory = attacker();
    const olivia = owner();
    const attackersAnswer = await register(email, mallory);
    // The attacker's link is in the owner's mailbox (unread) before the owner signs up.
    const attackersLink = await nthSignUpToken(email, 1);
    // The same answer to both: the owner learns nothing, nor does the attacker.
    expect(await register(email, olivia)).toEqual(attackersAnswer);
    const ownersLink = await nthSignUpToken(email, 2);

    // The attacker's registration's link died with the owner's registration.
    expect(await confirmEmailVerification(attackersLink, ATTACKER_PASSWORD)).toEqual({ refused: "invalid-link" });
    expect(await confirmEmailVerification(ownersLink, OWNER_PASSWORD)).toHaveProperty("user.email", email);

    expect(await authenticate(email, ATTACKER_PASSWORD)).toBeNull();
    expect(await authenticate(email, OWNER_PASSWORD)).toMatchObject({ email, username: olivia.username, displayName: "Olivia" });
  });

  it("cannot be confirmed by the owner by accident when it came after theirs: the link asks for the password", async () => {
    const email = `victim-${uniqueTag()}@example.com`;
    await register(email, owner());
    const ownersFirstLink = await nthSignUpToken(email, 1);
    // The attacker registers again between the owner's sign-up and the owner's click.
    await register(email, attacker());
    const linkFromAttackersSignUp = await nthSignUpToken(email, 2);

    expect(await confirmEmailVerification(ownersFirstLink, OWNER_PASSWORD)).toEqual({ refused: "invalid-link" });
    // The newest mail in the owner's inbox came from the attacker's sign-up: clicking it with the
    // owner's password does not confirm the attacker's password.
    expect(await confirmEmailVerification(linkFromAttackersSignUp, OWNER_PASSWORD)).toEqual({ refused: "wrong-password" });
    expect((await accountOf(email))?.emailVerifiedAt).toBeNull();
    expect(await authenticate(email, ATTACKER_PASSWORD)).toBeNull();

    // Signing up again takes the address back; the attacker's link dies with it.
    const olivia = owner();
    await register(email, olivia);
    const ownersNewLink = await nthSignUpToken(email, 3);
    expect(await confirmEmailVerification(linkFromAttackersSignUp, ATTACKER_PASSWORD)).toEqual({ refused: "invalid-link" });
    expect(await confirmEmailVerification(ownersNewLink, OWNER_PASSWORD)).toHaveProperty("user.username", olivia.username);
    expect(await authenticate(email, ATTACKER_PASSWORD)).toBeNull();
    expect(await authenticate(email, OWNER_PASSWORD)).not.toBeNull();
  });

  it("changes nothing once the owner has confirmed: the attacker's sign-up only mails the owner a notice", async () => {
    const email = `victim-${uniqueTag()}@example.com`;
    await register(email, owner());
    expect(await confirmEmailVerification(await nthSignUpToken(email, 1), OWNER_PASSWORD)).toHaveProperty("user.email", email);

    expect(await register(email, attacker())).toEqual({ status: "verification-sent", email });
    await nthMail(email, 1, "account-exists");
    expect(await authenticate(email, ATTACKER_PASSWORD)).toBeNull();
    expect(await authenticate(email, OWNER_PASSWORD)).not.toBeNull();
  });

  it("takes only the latest registration's password: an older link is dead, whichever password it is given", async () => {
    const email = `twice-${uniqueTag()}@example.com`;
    const first = { ...owner(), password: "the first password chosen" };
    const second = { ...owner(), password: "the second password chosen" };
    await register(email, first);
    const oldLink = await nthSignUpToken(email, 1);
    await register(email, second);
    const newLink = await nthSignUpToken(email, 2);

    expect(await confirmEmailVerification(oldLink, first.password)).toEqual({ refused: "invalid-link" });
    expect(await confirmEmailVerification(oldLink, second.password)).toEqual({ refused: "invalid-link" });
    expect(await confirmEmailVerification(newLink, first.password)).toEqual({ refused: "wrong-password" });
    expect(await confirmEmailVerification(newLink, second.password)).toHaveProperty("user.username", second.username);
    expect(await authenticate(email, first.password)).toBeNull();
  });

  it("cannot be confirmed through a reset link: \"forgot password\" mails no link, and an earlier reset link is refused", async () => {
    const email = `victim-${uniqueTag()}@example.com`;
    await register(email, attacker());
    const id = (await userIdByEmail(email))!;
    // A reset link issued for the pending account (as this version's predecessor mailed them).
    const resetToken = await issueEmailToken(id, "reset-password");

    await anonymous().users.requestPasswordReset({ email });
    const notice = await nthMail(email, 1, "finish-sign-up");
    expect(notice?.link).toBeNull();

    expect(await errorCode(anonymous().users.resetPassword({ token: resetToken, password: "the owner's new password" }))).toBe("BAD_REQUEST");
    const account = await accountOf(email);
    expect(account?.emailVerifiedAt).toBeNull();
    expect(await authenticate(email, ATTACKER_PASSWORD)).toBeNull();
    expect(await authenticate(email, "the owner's new password")).toBeNull();
  });
});

describe("usernames of pending sign-ups", () => {
  it("end up on nobody's account: the owner's confirmation carries the owner's username and name", async () => {
    const email = `victim-${uniqueTag()}@example.com`;
    const mallory = attacker();
    await register(email, mallory);
    await nthSignUpToken(email, 1);
    const olivia = owner();
    await register(email, olivia);
    await confirmEmailVerification(await nthSignUpToken(email, 2), OWNER_PASSWORD);

    expect(await accountOf(email)).toMatchObject({ username: olivia.username, displayName: "Olivia" });
    expect(await getPublicProfileByUsername(mallory.username)).toBeNull();
    expect(await getPublicProfileByUsername(olivia.username)).toMatchObject({ displayName: "Olivia" });
  });

  it("do not keep a name from anyone: the first to confirm takes it, the other is told to choose another", async () => {
    const wanted = `name_${uniqueTag()}`;
    const squatter = `squat-${uniqueTag()}@example.com`;
    const rightful = `rightful-${uniqueTag()}@example.com`;
    await register(squatter, { username: wanted, displayName: "Squatter", password: ATTACKER_PASSWORD });
    // A pending sign-up holds no username: the same name is open to another address.
    expect(await register(rightful, { username: wanted, displayName: "Rightful", password: OWNER_PASSWORD })).toEqual({ status: "verification-sent", email: rightful });

    expect(await confirmEmailVerification(await nthSignUpToken(rightful, 1), OWNER_PASSWORD)).toHaveProperty("user.username", wanted);
    expect(await confirmEmailVerification(await nthSignUpToken(squatter, 1), ATTACKER_PASSWORD)).toEqual({ refused: "username-taken" });
    expect(await getPublicProfileByUsername(wanted)).toMatchObject({ displayName: "Rightful" });

    // Now a confirmed account holds it: reported as taken, whatever the address.
    expect(await errorCode(register(`third-${uniqueTag()}@example.com`, { username: wanted, displayName: "Third", password: OWNER_PASSWORD }))).toBe("CONFLICT");
    expect(await errorCode(register(squatter, { username: wanted, displayName: "Squatter", password: ATTACKER_PASSWORD }))).toBe("CONFLICT");
  });
});

/**
 * Every raw message (.eml: headers and both bodies, as a mail server would get it) written to `to`, with
 * quoted-printable's soft line breaks undone so a name cannot hide across two lines.
 */
async function rawMailsTo(to: string): Promise<string[]> {
  const dir = process.env.MAIL_OUTBOX_DIR!;
  const files = (await readdir(dir)).filter((f) => f.endsWith(".eml"));
  const messages = await Promise.all(files.map(async (f) => (await readFile(path.join(dir, f), "utf8")).replace(/=\r?\n/g, "")));
  return messages.filter((m) => m.includes(`To: ${to}`));
}

/** What a hostile name must not bring into a mail: its URL, its forged header, its text. */
const FROM_THE_NAME = /evil\.example|all@example\.net|Locked!|gnp\.exe|Eve visit/;

describe("display names in mail", () => {
  const hostile = "Eve\r\nBcc: all@example.net\r\n\r\nLocked! https://evil.example/u\u2028\u202Egnp.exe";

  it("are kept to one line, and never written to an address that is not a confirmed account's own", async () => {
    const email = `stranger-${uniqueTag()}@example.com`;
    await register(email, { username: `eve_${uniqueTag()}`, displayName: hostile, password: ATTACKER_PASSWORD });
    const stored = (await accountOf(email))?.displayName;
    expect(stored).toBe("Eve Bcc: all@example.net Locked! https://evil.example/u gnp.exe");

    await nthSignUpToken(email, 1);
    // Asking for a reset of the pending address mails it too.
    await anonymous().users.requestPasswordReset({ email });
    await eventually(() => rawMailsTo(email), (mails) => mails.length >= 2);
    for (const message of await rawMailsTo(email)) {
      expect(message).not.toMatch(FROM_THE_NAME);
      expect(message).not.toMatch(/^Bcc:/im);
    }
  });

  it("are not written to a new address a change of email asks for", async () => {
    const { api } = await newWriter("Writer");
    await api.users.updateProfile({ displayName: "Eve\nvisit https://evil.example" });
    expect((await api.users.me()).displayName).toBe("Eve visit https://evil.example");
    const fresh = `moving-${uniqueTag()}@example.com`;
    await api.users.changeEmail({ currentPassword: PASSWORD, email: fresh });
    await eventually(() => rawMailsTo(fresh), (mails) => mails.length >= 1);
    for (const message of await rawMailsTo(fresh)) expect(message).not.toMatch(FROM_THE_NAME);
  });
});
