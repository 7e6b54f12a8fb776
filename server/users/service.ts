import { hash, verify } from "@node-rs/argon2";
import { TRPCError } from "@trpc/server";
import { eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { userChangeEmailSchema, userChangePasswordSchema, userProfileUpdateSchema, userRegisterSchema } from "@/lib/validations/user";
import { db, readDb } from "../db";
import { users, type UserRow } from "./schema";

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

export async function registerUser(input: z.output<typeof userRegisterSchema>): Promise<OwnProfile> {
  const passwordHash = await hash(input.password, ARGON2_OPTIONS);
  const [row] = await db
    .insert(users)
    .values({ email: input.email, username: input.username, displayName: input.displayName, passwordHash })
    .onConflictDoNothing()
    .returning();
  if (row) return toOwn(row);

  // Name the field that clashed so the form can show it; the username is public anyway.
  const [clash] = await db.select({ username: users.username }).from(users).where(eq(users.username, input.username));
  throw new TRPCError({
    code: "CONFLICT",
    message: clash ? "That username is taken." : "An account with that email already exists.",
    cause: { field: clash ? "username" : "email" },
  });
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
  return ok ? { ...toOwn(row), sessionVersion: row.sessionVersion } : null;
}

/** What a session is checked against on every request: is it still valid, and the current names. */
export async function getSessionState(
  userId: string,
): Promise<{ sessionVersion: number; email: string; username: string; displayName: string } | null> {
  const [row] = await db
    .select({ sessionVersion: users.sessionVersion, email: users.email, username: users.username, displayName: users.displayName })
    .from(users)
    .where(eq(users.id, userId));
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

export async function changeEmail(userId: string, input: z.output<typeof userChangeEmailSchema>): Promise<OwnProfile> {
  await verifyCurrentPassword(userId, input.currentPassword);
  const [row] = await db
    .update(users)
    .set({ email: input.email, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning()
    .catch((err: unknown) => {
      const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
      if (code === "23505") throw new TRPCError({ code: "CONFLICT", message: "An account with that email already exists.", cause: { field: "email" } });
      throw err;
    });
  if (!row) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account no longer exists." });
  return toOwn(row);
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
  const [row] = await readDb.select().from(users).where(eq(users.username, username.trim().toLowerCase()));
  return row ? toPublic(row) : null;
}

/** Authors of a set of posts, keyed by id (one query, not one per post). */
export async function getPublicProfilesByIds(ids: readonly string[]): Promise<Map<string, PublicProfile>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await readDb.select().from(users).where(inArray(users.id, unique));
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
