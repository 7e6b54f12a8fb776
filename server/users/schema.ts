import { integer, pgSchema, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";

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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email), uniqueIndex("users_username_key").on(t.username)],
);

export type UserRow = typeof users.$inferSelect;
