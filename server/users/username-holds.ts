import { and, eq, gt } from "drizzle-orm";
import { db, type Transaction } from "../db";
import { usernameHolds } from "./schema";

// A deleted account's username is held back for 30 days: nobody can sign up as the departed writer and
// be found at their old address (or receive the links that point to it) while it is still remembered.

export const USERNAME_HOLD_DAYS = 30;

export async function holdUsername(tx: Transaction, username: string): Promise<void> {
  const heldUntil = new Date(Date.now() + USERNAME_HOLD_DAYS * 24 * 3600_000);
  await tx.insert(usernameHolds).values({ username, heldUntil }).onConflictDoUpdate({ target: usernameHolds.username, set: { heldUntil } });
}

/** Whether the username belonged to an account deleted less than 30 days ago. */
export async function isUsernameHeld(username: string): Promise<boolean> {
  const [row] = await db
    .select({ username: usernameHolds.username })
    .from(usernameHolds)
    .where(and(eq(usernameHolds.username, username.trim().toLowerCase()), gt(usernameHolds.heldUntil, new Date())));
  return row !== undefined;
}

