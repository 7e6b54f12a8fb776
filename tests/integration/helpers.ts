import { randomInt, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { createCaller } from "@/server/api/root";
import { createTRPCContext, type Session } from "@/server/api/trpc";
import { closeDb, db } from "@/server/db";
import type { OutboxEntry } from "@/server/mail/transport";
import { users } from "@/server/users/schema";
import { confirmEmailVerification, getOwnProfile, issueEmailToken, type OwnProfile } from "@/server/users/service";
import { closeSharedRedis } from "@/server/jobs/redis";
import { closeStatusFeed } from "@/server/jobs/status-feed";
import { closeRateLimits } from "@/server/security/rate-limit";
import { CLIENT_ADDRESS_HEADER } from "@/server/security/client-address-header";
import { closeRenderThreads } from "@/server/render/pool";
import { closeMediaRateLimits } from "@/server/media/rate-limit";
import { closeImageFeed } from "@/server/media/status-feed";
import { createAccountsWorker, type AccountsWorker, type AccountsWorkerOptions } from "@/worker/accounts-worker";
import { createPostWorker, type PostWorker, type PostWorkerOptions } from "@/worker/post-worker";
import { afterAll, beforeAll } from "vitest";

// Fixtures build real rows through the real procedures.

/** A client address of its own for each caller, so per-address rate limits never couple tests. */
export const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

export const anonymous = (ip = randomIp()) => createCaller(createTRPCContext({ session: null, headers: new Headers({ [CLIENT_ADDRESS_HEADER]: ip }) }));

/** Closes every pool and Redis connection the app modules opened, so the test process can exit. */
export async function closeConnections(): Promise<void> {
  await Promise.all([closeRateLimits(), closeStatusFeed(), closeSharedRedis(), closeRenderThreads(), closeMediaRateLimits(), closeImageFeed()]);
  await closeDb();
}

/** A signed-in caller, from an address of its own (like `anonymous`), which it keeps for all its calls. */
export function callerFor(session: Session, ip = randomIp()) {
  return createCaller(createTRPCContext({ session, headers: new Headers({ [CLIENT_ADDRESS_HEADER]: ip }) }));
}

export const PASSWORD = "correct horse battery staple";

/** The id of the account with this address (test-only look-up; the API never says). */
export async function userIdByEmail(email: string): Promise<string | undefined> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email.toLowerCase()));
  return row?.id;
}

/** The account's session version (bumped by a password change, a reset, "sign out everywhere"). */
export async function sessionVersionOf(userId: string): Promise<number> {
  const [row] = await db.select({ sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, userId));
  if (!row) throw new Error(`no account ${userId}`);
  return row.sessionVersion;
}

/**
 * Verifies an account as following its sign-up link does (with the password of that sign-up). The
 * link's token is issued here rather than read from a mail, so files without a running accounts worker
 * can make writers too (the mail path itself is tested in email-verification.test.ts).
 */
export async function verifyEmailOf(email: string, password = PASSWORD): Promise<OwnProfile> {
  const id = await userIdByEmail(email);
  if (!id) throw new Error(`no account for ${email}`);
  const token = await issueEmailToken(id, "verify-email");
  const confirmed = await confirmEmailVerification(token, password);
  if ("refused" in confirmed) throw new Error(`could not verify ${email}: ${confirmed.refused}`);
  const profile = await getOwnProfile(id);
  if (!profile) throw new Error(`account ${email} vanished`);
  return profile;
}

/** Twelve random hex characters, for addresses and usernames no other test (or run) uses. */
export const uniqueTag = () => randomUUID().replaceAll("-", "").slice(0, 12);

/** Registers a new writer through users.register, verifies the address, and returns their session and caller. */
export async function newWriter(name = "Writer") {
  const tag = uniqueTag();
  const email = `${name.toLowerCase()}-${tag}@example.com`;
  await anonymous().users.register({ email, username: `${name.toLowerCase().slice(0, 10)}_${tag}`, displayName: name, password: PASSWORD });
  const profile = await verifyEmailOf(email);
  const session: Session = {
    user: { id: profile.id, email: profile.email, username: profile.username, name: profile.displayName },
  };
  return { profile, session, api: callerFor(session) };
}

/** Polls `read` until `done` holds; fails with the last value seen. Never asserts on elapsed time. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}

/** The TRPCError code a promise rejects with (fails the test if it resolves). */
export async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  throw new Error("expected the call to be refused, but it succeeded");
}

/**
 * Runs an in-process worker for the test file (no sweep: tests drive every job themselves) and closes
 * it and every connection afterwards. Returns a getter, since the worker starts in beforeAll.
 */
export function startWorkerForFile(options: PostWorkerOptions = {}): () => PostWorker {
  let worker: PostWorker | undefined;
  beforeAll(async () => {
    worker = createPostWorker({ sweepIntervalMs: 0, ...options });
    await worker.worker.waitUntilReady();
  });
  afterAll(async () => {
    await worker?.close();
    await closeConnections();
  });
  return () => {
    if (!worker) throw new Error("the worker starts in beforeAll");
    return worker;
  };
}

/** The mails written to this run's outbox (MAIL_OUTBOX_DIR, set by the global setup) to one address. */
export async function outboxFor(to: string): Promise<OutboxEntry[]> {
  const dir = process.env.MAIL_OUTBOX_DIR;
  if (!dir) throw new Error("MAIL_OUTBOX_DIR is not set");
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".json")).sort();
  const entries = await Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(dir, f), "utf8")) as OutboxEntry));
  return entries.filter((e) => e.to === to.toLowerCase());
}

/** The token of a mailed link. */
export function tokenOf(entry: OutboxEntry | undefined): string {
  const token = entry?.link ? new URL(entry.link).searchParams.get("token") : null;
  if (!token) throw new Error(`no link in ${JSON.stringify(entry)}`);
  return token;
}

/**
 * Runs the real accounts worker (it mails into this run's outbox) for the test file, and closes it and
 * every connection afterwards. Its sweep of unverified accounts is off unless `options` sets one.
 */
export function startAccountsWorkerForFile(options: AccountsWorkerOptions = {}): void {
  let worker: AccountsWorker | undefined;
  beforeAll(async () => {
    worker = createAccountsWorker({ sweepEveryMs: 0, ...options });
    await worker.worker.waitUntilReady();
  });
  afterAll(async () => {
    await worker?.close();
    await closeConnections();
  });
}

/** Waits for the n-th mail (of a kind, if given) to `to` and returns it (writers made by newWriter may get a sign-up mail too). */
export const nthMail = (to: string, n: number, kind?: string) =>
  eventually(async () => (await outboxFor(to)).filter((m) => !kind || m.kind === kind), (mails) => mails.length >= n).then((mails) => mails[n - 1]!);

/** The token of the n-th sign-up link mailed to `email`, once the worker has sent it. */
export const nthSignUpToken = async (email: string, n: number) => tokenOf(await nthMail(email, n, "verify-email"));
