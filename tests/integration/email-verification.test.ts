import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { SEND_MAIL_JOB, SWEEP_UNVERIFIED_SCHEDULER_ID, type SendMailPayload } from "@/server/jobs/contract";
import { queue } from "@/server/jobs/queues";
import { emailTokens, users } from "@/server/users/schema";
import {
  authenticate,
  confirmEmailVerification,
  deleteUnverifiedAccounts,
  getPublicProfileByUsername,
  issueEmailToken,
} from "@/server/users/service";
import { PASSWORD, anonymous, errorCode, eventually, newWriter, nthMail, outboxFor, sessionVersionOf, startAccountsWorkerForFile, tokenOf, uniqueTag, userIdByEmail } from "./helpers";

// The sign-up, reset and change-email links, end to end below the browser: the real procedures enqueue,
// the real accounts worker renders into this run's outbox, and the tokens read back from it are used.

startAccountsWorkerForFile({ sweepEveryMs: 3600_000 });

const signUp = (email: string, username = `v_${uniqueTag()}`, password = PASSWORD) =>
  anonymous().users.register({ email, username, displayName: "Vera", password });

/** The HTML part of an outbox mail: the .eml written beside its .json, quoted-printable decoded. */
async function mailHtml(messageId: string): Promise<string> {
  const dir = process.env.MAIL_OUTBOX_DIR ?? "";
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".json"))) {
    const entry = JSON.parse(await readFile(path.join(dir, file), "utf8")) as { messageId: string };
    if (entry.messageId !== messageId) continue;
    const eml = await readFile(path.join(dir, file.replace(/\.json$/, ".eml")), "utf8");
    const part = eml.slice(eml.indexOf("Content-Type: text/html"));
    return part.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
  throw new Error(`no outbox mail ${messageId}`);
}


describe("users.register", () => {
  it("answers identically for a new, a registered and a pending address", async () => {
    const fresh = `new-${uniqueTag()}@example.com`;
    const { profile: registered } = await newWriter("Reg");
    const pending = `pending-${uniqueTag()}@example.com`;
    await signUp(pending);

    const answers = [await signUp(fresh), await signUp(registered.email), await signUp(pending)];
    expect(answers).toEqual([
      { status: "verification-sent", email: fresh },
      { status: "verification-sent", email: registered.email },
      { status: "verification-sent", email: pending },
    ]);
    // The mailboxes learn what the caller did not.
    expect((await nthMail(fresh, 1)).kind).toBe("verify-email");
    expect((await nthMail(registered.email, 1, "account-exists")).kind).toBe("account-exists");
    expect((await nthMail(pending, 2)).kind).toBe("verify-email");
  });
});

describe("the sign-up link", () => {
  it("is mailed by the worker; until it is used the account cannot sign in and is hidden", async () => {
    const email = `link-${uniqueTag()}@example.com`;
    const username = `v_${uniqueTag()}`;
    await signUp(email, username);
    const mail = await nthMail(email, 1);
    expect(mail.link).toMatch(/\/verify-email\?token=/);
    expect(mail.subject).toMatch(/Confirm your email/);
    // The button comes before the "not you? ignore this" line, which closes the mail, in both parts.
    const html = await mailHtml(mail.messageId);
    for (const body of [mail.text, html]) {
      const button = body.indexOf("Confirm your email address");
      expect(button).toBeGreaterThan(0);
      expect(body.indexOf("If this was not you, ignore this email")).toBeGreaterThan(button);
    }

    // The same generic refusal as a wrong password, with the right password.
    expect(await authenticate(email, PASSWORD)).toBeNull();
    expect(await getPublicProfileByUsername(username)).toBeNull();
    expect(await errorCode(anonymous().users.byUsername({ username }))).toBe("NOT_FOUND");

    const confirmed = await confirmEmailVerification(tokenOf(mail), PASSWORD);
    const user = "user" in confirmed ? confirmed.user : undefined;
    expect(user?.email).toBe(email);
    expect((await authenticate(email, PASSWORD))?.id).toBe(user?.id);
    expect((await getPublicProfileByUsername(username))?.id).toBe(user?.id);
  });

  it("works once, not after expiry, and not for another purpose", async () => {
    const email = `once-${uniqueTag()}@example.com`;
    await signUp(email);
    const token = tokenOf(await nthMail(email, 1));
    const id = (await userIdByEmail(email))!;

    const resetToken = await issueEmailToken(id, "reset-password");
    const invalid = { refused: "invalid-link" };
    expect(await confirmEmailVerification(resetToken, PASSWORD)).toEqual(invalid); // wrong purpose

    const expired = await issueEmailToken(id, "verify-email");
    await db.update(emailTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(emailTokens.userId, id));
    expect(await confirmEmailVerification(expired, PASSWORD)).toEqual(invalid);
    expect(await confirmEmailVerification(token, PASSWORD)).toEqual(invalid); // expired too now

    const fresh = await issueEmailToken(id, "verify-email");
    expect(await confirmEmailVerification(fresh, PASSWORD)).toHaveProperty("user.id", id);
    expect(await confirmEmailVerification(fresh, PASSWORD)).toEqual(invalid); // used
    expect(await confirmEmailVerification("not-a-token-at-all-but-long-enough", PASSWORD)).toEqual(invalid);
  });

  it("stores only a hash of the token", async () => {
    const email = `hash-${uniqueTag()}@example.com`;
    await signUp(email);
    const token = tokenOf(await nthMail(email, 1));
    const rows = await db.select().from(emailTokens).where(eq(emailTokens.userId, (await userIdByEmail(email))!));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.tokenHash).not.toContain(token);
  });
});

describe("the sweep of unverified accounts", () => {
  it("deletes accounts never verified after 7 days, and nothing else", async () => {
    const stale = `stale-${uniqueTag()}@example.com`;
    const recent = `recent-${uniqueTag()}@example.com`;
    await signUp(stale);
    await signUp(recent);
    const { profile: verified } = await newWriter("Old");
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600_000);
    for (const email of [stale, verified.email]) await db.update(users).set({ createdAt: eightDaysAgo }).where(eq(users.email, email));

    expect(await deleteUnverifiedAccounts()).toBeGreaterThanOrEqual(1);
    expect(await userIdByEmail(stale)).toBeUndefined();
    expect(await userIdByEmail(recent)).toBeDefined();
    expect(await userIdByEmail(verified.email)).toBe(verified.id);
  });

  it("is scheduled as a repeatable job by the worker", async () => {
    const scheduler = await eventually(() => queue("accounts").getJobScheduler(SWEEP_UNVERIFIED_SCHEDULER_ID), (s) => s !== undefined);
    expect(scheduler?.every).toBe(3600_000);
  });
});

describe("password reset", () => {
  it("answers the same for known and unknown addresses; only a known one gets a link", async () => {
    const { profile } = await newWriter("Rex");
    const unknown = `nobody-${uniqueTag()}@example.com`;
    expect(await anonymous().users.requestPasswordReset({ email: profile.email })).toEqual({ status: "reset-sent", email: profile.email });
    expect(await anonymous().users.requestPasswordReset({ email: unknown })).toEqual({ status: "reset-sent", email: unknown });
    expect((await nthMail(profile.email, 1, "reset-password")).kind).toBe("reset-password");
    // The unknown address's job has run too, and wrote nothing. (Its own job: other test files share
    // this queue, so the queue as a whole need not be empty.)
    const pendingFor = async (email: string) =>
      (await queue("accounts").getJobs(["waiting", "prioritized", "delayed", "active"])).filter((job) => (job.data as { email?: string }).email === email).length;
    await eventually(() => pendingFor(unknown), (n) => n === 0);
    expect(await outboxFor(unknown)).toEqual([]);
  });

  it("sets the new password once and ends every session", async () => {
    const { profile } = await newWriter("Ria");
    const before = await sessionVersionOf(profile.id);
    await anonymous().users.requestPasswordReset({ email: profile.email });
    const token = tokenOf(await nthMail(profile.email, 1, "reset-password"));

    expect(await errorCode(anonymous().users.resetPassword({ token, password: "Password1" }))).toBe("BAD_REQUEST"); // common
    expect(await anonymous().users.resetPassword({ token, password: "a fresh reset secret" })).toEqual({ ok: true, email: profile.email });
    expect(await sessionVersionOf(profile.id)).toBe(before + 1);
    expect(await authenticate(profile.email, PASSWORD)).toBeNull();
    expect((await authenticate(profile.email, "a fresh reset secret"))?.id).toBe(profile.id);
    expect(await errorCode(anonymous().users.resetPassword({ token, password: "yet another secret" }))).toBe("BAD_REQUEST"); // used
  });
});

describe("a lost sign-up link", () => {
  it("is not replaced by a reset link: \"forgot password\" on a pending address mails how to finish signing up", async () => {
    const email = `lost-${uniqueTag()}@example.com`;
    await signUp(email);
    await anonymous().users.requestPasswordReset({ email });
    const notice = await nthMail(email, 1, "finish-sign-up");
    expect(notice.link).toBeNull();
    expect(notice.text).toContain("/sign-up");
    expect(await outboxFor(email)).not.toContainEqual(expect.objectContaining({ kind: "reset-password" }));
  });
});

describe("change of email", () => {
  it("mails a link to the new address and switches only when it is followed", async () => {
    const { api, profile } = await newWriter("Cam");
    const fresh = `cam-new-${uniqueTag()}@example.com`;
    await api.users.changeEmail({ currentPassword: PASSWORD, email: fresh });
    const mail = await nthMail(fresh, 1);
    expect(mail.kind).toBe("change-email");
    expect((await api.users.me()).email).toBe(profile.email);

    expect(await anonymous().users.confirmEmailChange({ token: tokenOf(mail) })).toEqual({ ok: true, email: fresh });
    expect((await api.users.me()).email).toBe(fresh);
    expect((await authenticate(fresh, PASSWORD))?.id).toBe(profile.id);
    expect(await errorCode(anonymous().users.confirmEmailChange({ token: tokenOf(mail) }))).toBe("BAD_REQUEST");
  });

  it("sends a notice, not a link, to an address that has an account", async () => {
    const { api } = await newWriter("Cid");
    const { profile: other } = await newWriter("Dot");
    await api.users.changeEmail({ currentPassword: PASSWORD, email: other.email });
    const mail = await nthMail(other.email, 1, "email-in-use");
    expect(mail.kind).toBe("email-in-use");
    expect(mail.link).toBeNull();
  });
});

describe("a send-mail job added by hand (as through a forged queue-dashboard request)", () => {
  /** Adds a job with whatever data an attacker chose, bypassing the contract's types, and waits for its outcome. */
  async function forgedJob(data: Record<string, unknown>): Promise<unknown> {
    const job = await queue("accounts").add(SEND_MAIL_JOB, data as SendMailPayload);
    return eventually(async () => (await queue("accounts").getJob(job.id!))?.returnvalue, (value) => value !== null && value !== undefined);
  }

  it("cannot choose where a change-email link goes: only the address the writer asked for gets one", async () => {
    const { api, profile } = await newWriter("Gil");
    const attackers = `thief-${uniqueTag()}@example.com`;
    expect(await forgedJob({ kind: "change-email", userId: profile.id, newEmail: attackers })).toBe("skipped: no change asked for");

    const asked = `gil-new-${uniqueTag()}@example.com`;
    await api.users.changeEmail({ currentPassword: PASSWORD, email: asked });
    await nthMail(asked, 1, "change-email");
    expect(await forgedJob({ kind: "change-email", userId: profile.id, newEmail: attackers })).toBe("sent");
    await nthMail(asked, 2, "change-email"); // the forged job only re-sent the writer's own request
    expect(await outboxFor(attackers)).toEqual([]);
  });

  it("cannot send a reset link anywhere but to the account's own address", async () => {
    const { profile } = await newWriter("Hil");
    expect(await forgedJob({ kind: "reset-password", email: `not-${profile.email}` })).toBe("skipped: no account");
    expect(await outboxFor(`not-${profile.email}`)).toEqual([]);
  });
});

describe("mail rate limits", () => {
  it("caps the mails asked for one address per hour", async () => {
    const email = `capped-${uniqueTag()}@example.com`;
    for (let n = 0; n < 5; n++) await anonymous().users.requestPasswordReset({ email });
    expect(await errorCode(anonymous().users.requestPasswordReset({ email }))).toBe("TOO_MANY_REQUESTS");
  });
});
