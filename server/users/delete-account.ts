import { verify } from "@node-rs/argon2";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { accountDeleteSchema } from "@/lib/validations/user";
import { purgeForDeletedWriter } from "../cache/purge";
import { db } from "../db";
import { logger } from "../logger";
import { announceDeletedPosts, deleteAuthorPosts } from "../posts/author-posts";
import { removeStoredArchivesOf } from "../portability/stored-archives";
import { users } from "./schema";
import { holdUsername } from "./username-holds";
import { AppError } from "../errors";

// Deleting an account (settings; the GDPR right to erasure). One transaction: the posts (with their
// revisions and redirects, by cascade), then the account row, whose foreign keys cascade to everything
// else that belongs to it: sessions, mailed-link tokens, imports, exports, and any table added later
// that references users.users (newsletter subscribers). The username is held back for 30 days. Public
// feed and pages of the writer then answer 410 Gone (the pages through /api/gone/<username>).

export async function deleteAccount(userId: string, input: z.output<typeof accountDeleteSchema>): Promise<{ deleted: true }> {
  const [account] = await db.select().from(users).where(eq(users.id, userId));
  if (!account) throw new AppError("UNAUTHORIZED", "Your account no longer exists.");
  if (!(await verify(account.passwordHash, input.password).catch(() => false))) {
    throw new AppError("INVALID", "Your password is not right.", { field: "password" });
  }
  if (input.confirmation !== account.username) {
    throw new AppError("INVALID", `Type your username, ${account.username}, to confirm.`, { field: "confirmation" });
  }
  // Files first (they are named by the rows the cascade is about to delete); a leftover file is harmless.
  await removeStoredArchivesOf(userId);
  const deletedPosts = await db.transaction(async (tx) => {
    const removed = await deleteAuthorPosts(tx, userId);
    await holdUsername(tx, account.username);
    await tx.delete(users).where(eq(users.id, userId));
    return removed;
  });
  await announceDeletedPosts(deletedPosts).catch((err: unknown) => logger.warn({ err }, "could not announce the deleted posts"));
  // The posts' purges cannot name the writer's pages any more (the account row is gone): purge them here.
  await purgeForDeletedWriter(account.username);
  logger.info({ userId, posts: deletedPosts.length }, "account deleted");
  return { deleted: true };
}
