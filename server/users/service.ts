import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { TRPCError } from "@trpc/server";
import { and, eq, gt, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { z } from "zod";
import type {
  userChangeEmailSchema,
  userChangePasswordSchema,
  userProfileUpdateSchema,
  userRegisterSchema,
  userResetPasswordSchema,
} from "@/lib/validations/user";
import { db, readDb } from "../db";
import { enqueueMail } from "../jobs/producer";
import { emailTokens, users, type EmailTokenPurpose, type EmailTokenRow, type UserRow } from "./schema";

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
 * with your address" mail; a pending one gets its link again (its password and names stay as first
 * given, so nobody can take over an account someone else has not confirmed yet). Each case hashes the
 * password and enqueues one mail, so they cost the same. A taken username is still reported: usernames
 * are public, and the check depends on the username alone, never on the email.
 */
export async function registerUser(input: z.output<typeof userRegisterSchema>): Promise<RegistrationAnswer> {
  const passwordHash = await hash(input.password, ARGON2_OPTIONS);
  const [row] = await db
    .insert(users)
    .values({ email: input.email, username: input.username, displayName: input.displayName, passwordHash })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (row) {
    await enqueueMail({ kind: "verify-email", userId: row.id });
    return { status: "verification-sent", email: input.email };
  }

  const [clash] = await db.select({ id: users.id }).from(users).where(eq(users.username, input.username));
  if (clash) throw new TRPCError({ code: "CONFLICT", message: "That username is taken.", cause: { field: "username" } });
  const [existing] = await db.select({ id: users.id, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.email, input.email));
  // Gone between the insert and this read (deleted by the sweep): the writer can simply try again.
  if (existing) await enqueueMail({ kind: existing.verifiedAt ? "account-exists" : "verify-email", userId: existing.id });
  return { status: "verification-sent", email: input.email };
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
  .where(eq(users.id, sql.placeholder("userId")))
  .prepare("users_session_state");

/** What a session is checked against on every request: is it still valid, and the current names. */
export async function getSessionState(
  userId: string,
): Promise<{ sessionVersion: number; email: string; username: string; displayName: string } | null> {
  const [row] = await sessionStateStatement.execute({ userId });
  return row ?? null;
}

async function verifyCurrentPassword(userId: string, password: string): Promise<UserRow> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  if (!row) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account no longer exists." });
  if (!(await verify(row.passwordHash, password).catch(() => false))) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Your current password is not right.", cause: { field: "currentPassword" } });
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
 * its address until the link is followed. Whether the new address belongs to another account is not
 * told here (that mailbox gets a notice instead of a link).
 */
export async function changeEmail(userId: string, input: z.output<typeof userChangeEmailSchema>): Promise<{ status: "confirmation-sent"; email: string }> {
  const row = await verifyCurrentPassword(userId, input.currentPassword);
  if (row.email === input.email) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "That is already your email address.", cause: { field: "email" } });
  }
  await enqueueMail({ kind: "change-email", userId, newEmail: input.email });
  return { status: "confirmation-sent", email: input.email };
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
  return code === "23505";
}

/** Follows a change-email link: the account switches to the address the link was sent to. */
export async function confirmEmailChange(token: string): Promise<OwnProfile> {
  const used = await consumeEmailToken(token, "change-email");
  if (!used?.newEmail) throw invalidLink();
  const [row] = await db
    .update(users)
    .set({ email: used.newEmail, emailVerifiedAt: new Date(), updatedAt: new Date() })
    .where(eq(users.id, used.userId))
    .returning()
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new TRPCError({ code: "CONFLICT", message: "Another account took that address in the meantime." });
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

function invalidLink(): TRPCError {
  return new TRPCError({ code: "BAD_REQUEST", message: "This link is invalid, was already used, or has expired. Ask for a new one." });
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

/** Follows a sign-up link: the address is verified and the writer may sign in (the link signs them in). */
export async function confirmEmailVerification(token: string): Promise<AuthenticatedUser | null> {
  const used = await consumeEmailToken(token, "verify-email");
  if (!used) return null;
  const [row] = await db
    .update(users)
    .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
    .where(eq(users.id, used.userId))
    .returning();
  return row ? { ...toOwn(row), sessionVersion: row.sessionVersion } : null;
}

/** "Forgot password": the same work and answer whether or not the address has an account (the worker decides). */
export async function requestPasswordReset(email: string): Promise<{ status: "reset-sent"; email: string }> {
  await enqueueMail({ kind: "reset-password", email });
  return { status: "reset-sent", email };
}

/** Follows a reset link: sets the password, ends every session, and counts as verifying the address. */
export async function resetPassword(input: z.output<typeof userResetPasswordSchema>): Promise<{ id: string; email: string }> {
  const passwordHash = await hash(input.password, ARGON2_OPTIONS);
  const used = await consumeEmailToken(input.token, "reset-password");
  if (!used) throw invalidLink();
  const [row] = await db
    .update(users)
    .set({
      passwordHash,
      sessionVersion: sql`${users.sessionVersion} + 1`,
      emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
      updatedAt: new Date(),
    })
    .where(eq(users.id, used.userId))
    .returning({ id: users.id, email: users.email });
  if (!row) throw invalidLink();
  // Other reset links mailed earlier die with this one.
  await db
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(emailTokens.userId, row.id), eq(emailTokens.purpose, "reset-password"), isNull(emailTokens.usedAt)));
  return row;
}

/** Who a mail goes to, for the worker. */
export async function getMailRecipient(userId: string): Promise<{ id: string; email: string; displayName: string; verified: boolean } | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName, verifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, userId));
  return row ? { id: row.id, email: row.email, displayName: row.displayName, verified: row.verifiedAt !== null } : null;
}

export async function findMailRecipientByEmail(email: string): Promise<{ id: string; email: string; displayName: string; verified: boolean } | null> {
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
  // Used and expired links are of no further use either.
  await db.delete(emailTokens).where(lt(emailTokens.expiresAt, new Date(Date.now() - 24 * 3600_000)));
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
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "Your account no longer exists." });
  return toOwn(row);
}
