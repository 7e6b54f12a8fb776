import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { and, eq, gt, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { z } from "zod";
import type {
  userChangeEmailSchema,
  userChangePasswordSchema,
  userProfileUpdateSchema,
  userRegisterSchema,
  userResetPasswordSchema,
} from "@/lib/validations/user";
import { isReservedUsername } from "@/lib/validations/reserved-usernames";
import { db, readDb } from "../db";
import { isUniqueViolation } from "../db/errors";
import { AppError } from "../errors";
import { enqueueMail } from "../jobs/queues";
import { emailTokens, sessions, users, type EmailTokenPurpose, type EmailTokenRow, type UserRow } from "./schema";
import { isUsernameHeld } from "./username-holds";

// The User Service. Every other module (the posts module included) gets user data through these
// functions, never by querying the users schema itself.

/** OWASP's argon2id recommendation: 19 MiB memory, 2 iterations, 1 lane. */
// `algorithm: 2` is Algorithm.Argon2id, a const enum that isolatedModules cannot import.
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** What anyone may see of a writer. */
export interface PublicProfile {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  createdAt: Date;
}

/** What the signed-in writer sees of themself. */
export interface OwnProfile extends PublicProfile {
  email: string;
}

function toPublic(row: UserRow): PublicProfile {
  return { id: row.id, username: row.username, displayName: row.displayName, bio: row.bio, createdAt: row.createdAt };
}

function toOwn(row: UserRow): OwnProfile {
  return { ...toPublic(row), email: row.email };
}

/** What users.register answers, whatever the state of the address (new, registered, pending). */
export interface RegistrationAnswer {
  status: "verification-sent";
  email: string;
}

/**
 * Signs a writer up. The answer never says whether the address already had an account: a new address
 * gets an unverified account and a verification link; a registered one gets a "someone tried to sign up
 * with your address" mail; a pending one takes this registration's password and names, every link
 * mailed for the earlier one dies, and a new link is mailed. Whoever registered last cannot confirm
 * without the mailbox, and the mailbox's owner cannot confirm someone else's registration by accident:
 * confirming asks for the password of the registration it binds to (confirmEmailVerification). Each
 * case hashes the password and enqueues one mail, so they cost about the same. A username held by a
 * confirmed account is reported as taken: usernames are public, and the check depends on the username
 * alone, never on the email. Pending sign-ups hold no username (the first confirmation takes it).
 */
export async function registerUser(input: z.output<typeof userRegisterSchema>): Promise<RegistrationAnswer> {
  const passwordHash = await hash(input.password, ARGON2_OPTIONS);
  if (await isUsernameTaken(input.username)) {
    throw new AppError("CONFLICT", "That username is taken.", { field: "username" });
  }
  const credentials = { username: input.username, displayName: input.displayName, passwordHash };
  const [created] = await db
    .insert(users)
    .values({ email: input.email, ...credentials })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  if (created) {
    await enqueueMail({ kind: "verify-email", userId: created.id });
    return { status: "verification-sent", email: input.email };
  }

  const replaced = await db.transaction(async (tx) => {
    const [pending] = await tx
      .update(users)
      .set({ ...credentials, updatedAt: new Date() })
      .where(and(eq(users.email, input.email), isNull(users.emailVerifiedAt)))
      .returning({ id: users.id });
    if (pending) await invalidateLinks(tx, pending.id, ["verify-email", "reset-password"]);
    return pending;
  });
  if (replaced) {
    await enqueueMail({ kind: "verify-email", userId: replaced.id });
    return { status: "verification-sent", email: input.email };
  }
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  // Gone between the insert and this read (deleted by the sweep): the writer can simply try again.
  if (existing) await enqueueMail({ kind: "account-exists", userId: existing.id });
  return { status: "verification-sent", email: input.email };
}

/** Whether a confirmed account has this username (pending sign-ups hold none). */
async function isUsernameTaken(username: string): Promise<boolean> {
  if (await isUsernameHeld(username)) return true;
  const [holder] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.username, username), isNotNull(users.emailVerifiedAt)));
  return holder !== undefined;
}

type Transaction = Parameters<Parameters<typeof db.transaction>[0]>[0];

/** Marks every unused link of these purposes of an account used: a newer request replaces them. */
async function invalidateLinks(tx: Transaction | typeof db, userId: string, purposes: EmailTokenPurpose[]): Promise<void> {
  await tx
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(emailTokens.userId, userId), inArray(emailTokens.purpose, purposes), isNull(emailTokens.usedAt)));
}

// Verified against when the email is unknown, so a missing account costs the same time as a wrong password.
const dummyHash = hash("inkwell-timing-equaliser", ARGON2_OPTIONS);

/** A writer as a new session sees them: sessions carry the version they were issued under. */
export interface AuthenticatedUser extends OwnProfile {
  sessionVersion: number;
}

/** Checks an email and password; returns the writer, or null without saying which part was wrong. */
export async function authenticate(email: string, password: string): Promise<AuthenticatedUser | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  if (!row) {
    await verify(await dummyHash, password).catch(() => false);
    return null;
  }
  const ok = await verify(row.passwordHash, password).catch(() => false);
  // An unverified account gets the same answer as a wrong password: "check your email" after a right
  // password would tell whoever signed up with someone else's address whether that address was pending.
  return ok && row.emailVerifiedAt ? { ...toOwn(row), sessionVersion: row.sessionVersion } : null;
}

/**
 * getSessionState's query, prepared: every signed-in request runs it (every few seconds per session), so
 * PostgreSQL parses and plans it once per connection and it runs in one round trip (Drizzle sends other
 * queries unnamed, which postgres.js precedes with a round trip to describe the parameters).
 */
const sessionStateStatement = db
  .select({ sessionVersion: users.sessionVersion, email: users.email, username: users.username, displayName: users.displayName })
  .from(users)
  .innerJoin(sessions, eq(sessions.userId, users.id))
  .where(and(eq(users.id, sql.placeholder("userId")), eq(sessions.id, sql.placeholder("sessionId")), gt(sessions.expiresAt, sql`now()`)))
  .prepare("users_session_state");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What a session is checked against on every request: its row still exists (not signed out) and the
 * account's current names. Null when the session no longer stands.
 */
export async function getSessionState(
  userId: string,
  sessionId: string,
): Promise<{ sessionVersion: number; email: string; username: string; displayName: string } | null> {
  // Ids come out of our own encrypted cookie; anything else is no session (and no database error).
  if (!UUID.test(userId) || !UUID.test(sessionId)) return null;
  const [row] = await sessionStateStatement.execute({ userId, sessionId });
  return row ?? null;
}

/** How long a session lasts without being renewed (Auth.js's cookie maxAge is the same). */
export const SESSION_LIFETIME_MS = 30 * 24 * 3600_000;

/** Records a new signed-in browser; its id goes into the session cookie. */
export async function startSession(userId: string): Promise<string> {
  const [row] = await db
    .insert(sessions)
    .values({ userId, expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS) })
    .returning({ id: sessions.id });
  if (!row) throw new Error("could not record the session");
  return row.id;
}

/** Auth.js renewed the cookie: the row lives as long (written at most once a day per session). */
export async function renewSession(sessionId: string): Promise<void> {
  if (!UUID.test(sessionId)) return;
  const renewAfter = new Date(Date.now() + SESSION_LIFETIME_MS - 24 * 3600_000);
  await db
    .update(sessions)
    .set({ expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS) })
    .where(and(eq(sessions.id, sessionId), lt(sessions.expiresAt, renewAfter)));
}

/** "Sign out": this browser's session ends, and any copy of its cookie with it. */
export async function endSession(sessionId: string): Promise<void> {
  if (!UUID.test(sessionId)) return;
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

async function verifyCurrentPassword(userId: string, password: string): Promise<UserRow> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  if (!row) throw new AppError("UNAUTHORIZED", "Your account no longer exists.");
  if (!(await verify(row.passwordHash, password).catch(() => false))) {
    throw new AppError("INVALID", "Your current password is not right.", { field: "currentPassword" });
  }
  return row;
}

/** Sets a new password and ends every session, this one included (the form signs in again). */
export async function changePassword(userId: string, input: z.output<typeof userChangePasswordSchema>): Promise<void> {
  await verifyCurrentPassword(userId, input.currentPassword);
  const passwordHash = await hash(input.newPassword, ARGON2_OPTIONS);
  await db
    .update(users)
    .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(eq(users.id, userId));
}

/**
 * Asks for the current password, then mails a confirmation link to the new address; the account keeps
 * its address until the link is followed. The new address is kept on the account (the mail job names
 * only the account), and links sent for an earlier request die. Whether the new address belongs to
 * another account is not told here (that mailbox gets a notice instead of a link).
 */
export async function changeEmail(userId: string, input: z.output<typeof userChangeEmailSchema>): Promise<{ status: "confirmation-sent"; email: string }> {
  const row = await verifyCurrentPassword(userId, input.currentPassword);
  if (row.email === input.email) {
    throw new AppError("INVALID", "That is already your email address.", { field: "email" });
  }
  await db.transaction(async (tx) => {
    await tx.update(users).set({ pendingEmail: input.email, updatedAt: new Date() }).where(eq(users.id, userId));
    await invalidateLinks(tx, userId, ["change-email"]);
  });
  await enqueueMail({ kind: "change-email", userId });
  return { status: "confirmation-sent", email: input.email };
}

/** Follows a change-email link: the account switches to the address the link was sent to. */
export async function confirmEmailChange(token: string): Promise<OwnProfile> {
  const used = await consumeEmailToken(token, "change-email");
  if (!used?.newEmail) throw invalidLink();
  const [row] = await db
    .update(users)
    .set({ email: used.newEmail, pendingEmail: null, emailVerifiedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(users.id, used.userId), isNotNull(users.emailVerifiedAt)))
    .returning()
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new AppError("CONFLICT", "Another account took that address in the meantime.");
      throw err;
    });
  if (!row) throw invalidLink();
  return toOwn(row);
}

// --- Email links ---

/** Verification links last a day, reset and change links an hour. */
const TOKEN_LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  "verify-email": 24 * 3600_000,
  "reset-password": 3600_000,
  "change-email": 3600_000,
};

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

function invalidLink(): AppError {
  return new AppError("INVALID", "This link is invalid, was already used, or has expired. Ask for a new one.");
}

/** Creates a single-use link token; only its hash is stored. Returns the token for the mail. */
export async function issueEmailToken(userId: string, purpose: EmailTokenPurpose, newEmail?: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(emailTokens).values({
    tokenHash: hashToken(token),
    purpose,
    userId,
    newEmail: newEmail ?? null,
    expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]),
  });
  return token;
}

/** A token that is known, of this purpose, unused and unexpired, without using it; null otherwise. */
async function findUsableToken(token: string, purpose: EmailTokenPurpose): Promise<EmailTokenRow | null> {
  if (token.length > 200) return null;
  const [row] = await db
    .select()
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, new Date())));
  return row ?? null;
}

/** Marks a token used, once: null when unknown, of another purpose, used or expired. */
async function consumeEmailToken(token: string, purpose: EmailTokenPurpose): Promise<EmailTokenRow | null> {
  if (token.length > 200) return null;
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, new Date())))
    .returning();
  return row ?? null;
}

/** Why a sign-up link did not confirm the address; the page words each for the writer. */
export type SignUpRefusal = "invalid-link" | "wrong-password" | "username-taken" | "username-reserved";

/** A refused confirmation; a reserved username is named, so the page can say which name to change. */
export type SignUpRefused = { refused: Exclude<SignUpRefusal, "username-reserved"> } | { refused: "username-reserved"; username: string };

/**
 * Follows a sign-up link: the address is verified and the writer may sign in (the link signs them in).
 * The link proves the mailbox; the password proves which registration is being confirmed. Without it,
 * whoever registered the address last (anyone can) would have their password confirmed by the owner's
 * click. The account is confirmed only while its credentials are still the ones the password matched.
 */
export async function confirmEmailVerification(token: string, password: string): Promise<{ user: AuthenticatedUser } | SignUpRefused> {
  const link = await findUsableToken(token, "verify-email");
  const [account] = link
    ? await db
        .select()
        .from(users)
        .where(and(eq(users.id, link.userId), isNull(users.emailVerifiedAt)))
    : [];
  if (!link || !account) return { refused: "invalid-link" };
  if (!(await verify(account.passwordHash, password).catch(() => false))) return { refused: "wrong-password" };
  if (await isUsernameHeld(account.username)) return { refused: "username-taken" };
  // Signed up before the name was reserved: refused without using the link or changing the account, so
  // nothing is half done. Signing up again with this address replaces the username and kills the link.
  // Only after the password matched: the name is then told to the person who chose it.
  if (isReservedUsername(account.username)) return { refused: "username-reserved", username: account.username };
  try {
    return await db.transaction(async (tx) => {
      const [used] = await tx
        .update(emailTokens)
        .set({ usedAt: new Date() })
        .where(and(eq(emailTokens.tokenHash, link.tokenHash), isNull(emailTokens.usedAt)))
        .returning();
      const [row] = used
        ? await tx
            .update(users)
            .set({ emailVerifiedAt: new Date(), updatedAt: new Date() })
            .where(and(eq(users.id, account.id), isNull(users.emailVerifiedAt), eq(users.passwordHash, account.passwordHash)))
            .returning()
        : [];
      if (!row) return { refused: "invalid-link" as const };
      await invalidateLinks(tx, row.id, ["verify-email", "reset-password"]);
      return { user: { ...toOwn(row), sessionVersion: row.sessionVersion } };
    });
  } catch (err) {
    // Another sign-up took the username and was confirmed first.
    if (isUniqueViolation(err)) return { refused: "username-taken" };
    throw err;
  }
}

/** "Forgot password": the same work and answer whether or not the address has an account (the worker decides). */
export async function requestPasswordReset(email: string): Promise<{ status: "reset-sent"; email: string }> {
  await enqueueMail({ kind: "reset-password", email });
  return { status: "reset-sent", email };
}

/**
 * Follows a reset link: sets the password and ends every session. Only a confirmed account can be reset:
 * a pending one is confirmed by its sign-up link alone, so a reset cannot confirm a registration (and the
 * username and name) someone else made with this address.
 */
export async function resetPassword(input: z.output<typeof userResetPasswordSchema>): Promise<{ id: string; email: string }> {
  const passwordHash = await hash(input.password, ARGON2_OPTIONS);
  const used = await consumeEmailToken(input.token, "reset-password");
  if (!used) throw invalidLink();
  const [row] = await db
    .update(users)
    .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(and(eq(users.id, used.userId), isNotNull(users.emailVerifiedAt)))
    .returning({ id: users.id, email: users.email });
  if (!row) throw invalidLink();
  // Other reset links mailed earlier die with this one.
  await invalidateLinks(db, row.id, ["reset-password"]);
  return row;
}

/** Who a mail goes to, for the worker. */
export interface MailRecipient {
  id: string;
  email: string;
  displayName: string;
  verified: boolean;
  /** The address a change of email asked for, if one is waiting. */
  pendingEmail: string | null;
}

export async function getMailRecipient(userId: string): Promise<MailRecipient | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName, verifiedAt: users.emailVerifiedAt, pendingEmail: users.pendingEmail })
    .from(users)
    .where(eq(users.id, userId));
  return row ? { id: row.id, email: row.email, displayName: row.displayName, verified: row.verifiedAt !== null, pendingEmail: row.pendingEmail } : null;
}

export async function findMailRecipientByEmail(email: string): Promise<MailRecipient | null> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row ? getMailRecipient(row.id) : null;
}

/** Accounts never verified are deleted after this long (their username and address become free again). */
export const UNVERIFIED_ACCOUNT_TTL_MS = 7 * 24 * 3600_000;

/** The worker's sweep: deletes accounts created before `olderThan` and never verified (tokens cascade). */
export async function deleteUnverifiedAccounts(olderThan = new Date(Date.now() - UNVERIFIED_ACCOUNT_TTL_MS)): Promise<number> {
  const deleted = await db
    .delete(users)
    .where(and(isNull(users.emailVerifiedAt), lt(users.createdAt, olderThan)))
    .returning({ id: users.id });
  // Used and expired links are of no further use either, nor sessions past their end.
  await db.delete(emailTokens).where(lt(emailTokens.expiresAt, new Date(Date.now() - 24 * 3600_000)));
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  return deleted.length;
}

/** Ends every session of the writer on every device ("sign out everywhere"). */
export async function endAllSessions(userId: string): Promise<void> {
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
}

export async function getOwnProfile(userId: string): Promise<OwnProfile | null> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row ? toOwn(row) : null;
}

export async function getPublicProfileByUsername(username: string): Promise<PublicProfile | null> {
  // Unverified accounts are hidden until their owner confirms the address.
  const [row] = await readDb
    .select()
    .from(users)
    .where(and(eq(users.username, username.trim().toLowerCase()), isNotNull(users.emailVerifiedAt)));
  return row ? toPublic(row) : null;
}

/** Authors of a set of posts, keyed by id (one query, not one per post). */
export async function getPublicProfilesByIds(ids: readonly string[]): Promise<Map<string, PublicProfile>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await readDb
    .select()
    .from(users)
    .where(and(inArray(users.id, unique), isNotNull(users.emailVerifiedAt)));
  return new Map(rows.map((row) => [row.id, toPublic(row)]));
}

export async function updateProfile(userId: string, input: z.output<typeof userProfileUpdateSchema>): Promise<OwnProfile> {
  const [row] = await db
    .update(users)
    .set({ displayName: input.displayName, bio: input.bio, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning();
  if (!row) throw new AppError("NOT_FOUND", "Your account no longer exists.");
  return toOwn(row);
}
