import { sql } from "drizzle-orm";
import { index, integer, pgSchema, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";

/** The User Service owns the `users` Postgres schema; no other module reads these tables. */
export const usersSchema = pgSchema("users");

export const users = usersSchema.table(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Stored lower-cased so sign-in and uniqueness are case-insensitive.
    email: text("email").notNull(),
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    bio: text("bio").notNull().default(""),
    passwordHash: text("password_hash").notNull(),
    /** Bumped to end every session at once (password change, "sign out everywhere"); sessions carry it. */
    sessionVersion: integer("session_version").notNull().default(0),
    /** Null until the writer follows the link mailed at sign-up: such accounts cannot sign in and are hidden. */
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    /**
     * The address a change of email asked for, written by the web request; the mail job only names the
     * account, so a job (forged or replayed) can never choose where a change-email link goes.
     */
    pendingEmail: text("pending_email"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    // Only confirmed accounts hold a username: a pending sign-up (anyone can start one, with any
    // address) must not keep a name from its rightful owner; the first confirmation takes it.
    uniqueIndex("users_username_key").on(t.username).where(sql`${t.emailVerifiedAt} IS NOT NULL`),
    // The sweep of never-verified accounts.
    index("users_unverified_idx").on(t.createdAt).where(sql`${t.emailVerifiedAt} IS NULL`),
  ],
);

export type UserRow = typeof users.$inferSelect;

export const emailTokenPurposes = ["verify-email", "reset-password", "change-email"] as const;
export type EmailTokenPurpose = (typeof emailTokenPurposes)[number];
export const emailTokenPurpose = usersSchema.enum("email_token_purpose", emailTokenPurposes);

/**
 * Single-use links sent by mail. Only the SHA-256 of the random token is stored, so a database leak
 * yields no usable link.
 */
export const emailTokens = usersSchema.table(
  "email_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    purpose: emailTokenPurpose("purpose").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The address a change-email link switches to. */
    newEmail: text("new_email"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("email_tokens_user_idx").on(t.userId, t.purpose)],
);

export type EmailTokenRow = typeof emailTokens.$inferSelect;

/**
 * One row per signed-in browser. The session cookie (a JWT) names its row; signing out deletes it, so a
 * copy of the cookie stops working at once instead of living out its 30 days.
 */
export const sessions = usersSchema.table(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Moved forward when Auth.js renews the cookie; the sweep deletes rows past it. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expiry_idx").on(t.expiresAt)],
);

/**
 * Usernames of deleted accounts, held back so nobody can take over a departed writer's address (and
 * the links to it) at once. Sign-up and confirmation refuse a held name until `heldUntil`.
 */
export const usernameHolds = usersSchema.table("username_holds", {
  username: text("username").primaryKey(),
  heldUntil: timestamp("held_until", { withTimezone: true }).notNull(),
});
