import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { db } from "../db";
import { getMailRecipient, getPublicProfileByUsername, getPublicProfilesByIds } from "../users/service";
import { CONFIRMATION_LIFETIME_MS, hashToken, newConfirmationToken, readManageKey, readUnsubscribeKey } from "./links";
import { enqueueConfirmation } from "./queue";
import { confirmationTokens, subscribers, type SubscriberStatus } from "./schema";

// The reader's side: subscribing (double opt-in, or one click when signed in), confirming, unsubscribing
// (one-click links in every mail) and managing one's subscriptions without an account.

/**
 * Always "check your inbox" for a known writer, whatever the address's state, so the answer never tells
 * whether someone is subscribed. A confirmation link goes out unless the address already receives the
 * posts (or bounces: mailing it again would only bounce).
 */
export async function requestSubscription(input: { writer: string; email: string }): Promise<"check-inbox" | "unknown-writer"> {
  const author = await getPublicProfileByUsername(input.writer);
  if (!author) return "unknown-writer";
  const [created] = await db
    .insert(subscribers)
    .values({ authorId: author.id, email: input.email, status: "pending", source: "form" })
    .onConflictDoNothing()
    .returning({ id: subscribers.id });
  let subscriberId = created?.id;
  if (!subscriberId) {
    const [existing] = await db
      .select({ id: subscribers.id, status: subscribers.status })
      .from(subscribers)
      .where(and(eq(subscribers.authorId, author.id), eq(subscribers.email, input.email)));
    const mailable: SubscriberStatus[] = ["pending", "imported", "unsubscribed"];
    if (existing && mailable.includes(existing.status)) subscriberId = existing.id;
  }
  if (subscriberId) await enqueueConfirmation({ subscriberId });
  return "check-inbox";
}

/** Issues a confirmation link's token (the worker does, as it mails it); only its hash is stored. */
export async function issueConfirmationToken(subscriberId: string): Promise<string> {
  const { token, tokenHash } = newConfirmationToken();
  await db.insert(confirmationTokens).values({ tokenHash, subscriberId, expiresAt: new Date(Date.now() + CONFIRMATION_LIFETIME_MS) });
  return token;
}

/** Who a confirmation mail goes to, and for which writer; null when there is nothing to confirm. */
export async function getConfirmationRecipient(subscriberId: string): Promise<{ email: string; writerName: string } | null> {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.id, subscriberId));
  if (!row || row.status === "active" || row.status === "bouncing") return null;
  const writer = (await getPublicProfilesByIds([row.authorId])).get(row.authorId);
  return writer ? { email: row.email, writerName: writer.displayName } : null;
}

const usable = (token: string) =>
  and(eq(confirmationTokens.tokenHash, hashToken(token)), isNull(confirmationTokens.usedAt), gt(confirmationTokens.expiresAt, new Date()));

export interface SubscriptionWriter {
  username: string;
  displayName: string;
}

async function writerOf(authorId: string): Promise<SubscriptionWriter | null> {
  const profile = (await getPublicProfilesByIds([authorId])).get(authorId);
  return profile ? { username: profile.username, displayName: profile.displayName } : null;
}

/** The writer a confirmation link is for, without using it (the page's GET); null when not usable. */
export async function peekConfirmation(token: string): Promise<SubscriptionWriter | null> {
  if (token.length > 200) return null;
  const [row] = await db
    .select({ authorId: subscribers.authorId })
    .from(confirmationTokens)
    .innerJoin(subscribers, eq(subscribers.id, confirmationTokens.subscriberId))
    .where(usable(token));
  return row ? writerOf(row.authorId) : null;
}

/** Uses the link (once) and makes the subscription active; null for an unknown, used or expired link. */
export async function confirmSubscription(token: string): Promise<SubscriptionWriter | null> {
  if (token.length > 200) return null;
  const authorId = await db.transaction(async (tx) => {
    const [used] = await tx.update(confirmationTokens).set({ usedAt: new Date() }).where(usable(token)).returning({ subscriberId: confirmationTokens.subscriberId });
    if (!used) return null;
    const [subscriber] = await tx
      .update(subscribers)
      .set({ status: "active", confirmedAt: new Date(), unsubscribedAt: null, unsubscribedFromPostId: null, bouncedAt: null, bounceReason: null })
      .where(eq(subscribers.id, used.subscriberId))
      .returning({ authorId: subscribers.authorId });
    return subscriber?.authorId ?? null;
  });
  return authorId ? writerOf(authorId) : null;
}

/** A signed-in reader subscribes with their account's (confirmed) address: no link needed. */
export async function subscribeAccount(userId: string, writer: string): Promise<"subscribed" | "unknown-writer" | "unverified"> {
  const [author, account] = await Promise.all([getPublicProfileByUsername(writer), getMailRecipient(userId)]);
  if (!author) return "unknown-writer";
  if (!account?.verified) return "unverified";
  const now = new Date();
  await db
    .insert(subscribers)
    .values({ authorId: author.id, email: account.email, status: "active", source: "account", confirmedAt: now })
    .onConflictDoUpdate({
      target: [subscribers.authorId, subscribers.email],
      // As the mailed confirmation does: a bounce recorded earlier no longer stands for an address its
      // owner has just confirmed by signing in with it.
      set: {
        status: "active",
        confirmedAt: sql`coalesce(${subscribers.confirmedAt}, ${now.toISOString()}::timestamptz)`,
        unsubscribedAt: null,
        unsubscribedFromPostId: null,
        bouncedAt: null,
        bounceReason: null,
      },
    });
  return "subscribed";
}

/** Whether the signed-in reader's address receives this writer's posts. */
export async function isAccountSubscribed(userId: string, writer: string): Promise<boolean> {
  const [author, account] = await Promise.all([getPublicProfileByUsername(writer), getMailRecipient(userId)]);
  if (!author || !account) return false;
  const [row] = await db
    .select({ status: subscribers.status })
    .from(subscribers)
    .where(and(eq(subscribers.authorId, author.id), eq(subscribers.email, account.email)));
  return row?.status === "active";
}

const endable: SubscriberStatus[] = ["pending", "imported", "active"];

/**
 * Ends the subscription a mail's link names (one POST, no sign-in). Repeating it is harmless. Null for a
 * link that is not ours (bad signature).
 */
export async function unsubscribeByKey(key: string): Promise<{ writer: SubscriptionWriter | null } | null> {
  const named = readUnsubscribeKey(key);
  if (!named) return null;
  const [row] = await db.select({ authorId: subscribers.authorId }).from(subscribers).where(eq(subscribers.id, named.subscriberId));
  if (!row) return { writer: null }; // removed since: nothing left to end
  await db
    .update(subscribers)
    .set({ status: "unsubscribed", unsubscribedAt: new Date(), unsubscribedFromPostId: named.postId })
    .where(and(eq(subscribers.id, named.subscriberId), inArray(subscribers.status, endable)));
  return { writer: await writerOf(row.authorId) };
}

/** The writer an unsubscribe link is for (the page's GET shows it before the POST). */
export async function describeUnsubscribeKey(key: string): Promise<{ writer: SubscriptionWriter | null; active: boolean } | null> {
  const named = readUnsubscribeKey(key);
  if (!named) return null;
  const [row] = await db.select({ authorId: subscribers.authorId, status: subscribers.status }).from(subscribers).where(eq(subscribers.id, named.subscriberId));
  if (!row) return { writer: null, active: false };
  return { writer: await writerOf(row.authorId), active: endable.includes(row.status) };
}

export interface ManagedSubscription {
  id: string;
  writer: SubscriptionWriter;
  status: SubscriberStatus;
}

/** Every writer an address (named by a signed manage link) is subscribed to; null for a bad link. */
export async function listSubscriptionsByKey(key: string): Promise<{ email: string; subscriptions: ManagedSubscription[] } | null> {
  const email = readManageKey(key);
  if (email === null) return null;
  const rows = await db
    .select({ id: subscribers.id, authorId: subscribers.authorId, status: subscribers.status })
    .from(subscribers)
    .where(and(eq(subscribers.email, email), inArray(subscribers.status, ["active", "pending", "imported"])));
  const writers = await getPublicProfilesByIds(rows.map((r) => r.authorId));
  const subscriptions = rows.flatMap((r) => {
    const w = writers.get(r.authorId);
    return w ? [{ id: r.id, status: r.status, writer: { username: w.username, displayName: w.displayName } }] : [];
  });
  subscriptions.sort((a, b) => a.writer.displayName.localeCompare(b.writer.displayName));
  return { email, subscriptions };
}

/** Ends one of the subscriptions a manage link shows; false when the link or subscription is not its. */
export async function unsubscribeFromManagePage(key: string, subscriberId: string): Promise<boolean> {
  const email = readManageKey(key);
  if (email === null || !/^[0-9a-f-]{36}$/i.test(subscriberId)) return false;
  const [row] = await db.select({ email: subscribers.email }).from(subscribers).where(eq(subscribers.id, subscriberId));
  if (!row || row.email !== email) return false;
  await db
    .update(subscribers)
    .set({ status: "unsubscribed", unsubscribedAt: new Date() })
    .where(and(eq(subscribers.id, subscriberId), inArray(subscribers.status, endable)));
  return true;
}
