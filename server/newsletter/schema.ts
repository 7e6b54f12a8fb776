import { sql } from "drizzle-orm";
import { index, integer, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * The Newsletter Service owns the `newsletter` Postgres schema: readers subscribed to writers, the
 * confirmation links they are mailed, and every (post, subscriber) delivery. Writers and posts are
 * referred to by id only (no cross-schema foreign keys, as between users and posts).
 */
export const newsletterSchema = pgSchema("newsletter");

/**
 * - pending: asked to subscribe, has not followed the mailed link yet (receives nothing);
 * - imported: from a writer's CSV, waiting for the writer to confirm the consent statement;
 * - active: receives every post the writer emails;
 * - unsubscribed: ended it (one-click link, manage page, or removed by the writer);
 * - bouncing: the mail server refused the address for good (5xx); no further sends.
 */
export const subscriberStatuses = ["pending", "imported", "active", "unsubscribed", "bouncing"] as const;
export type SubscriberStatus = (typeof subscriberStatuses)[number];
export const subscriberStatus = newsletterSchema.enum("subscriber_status", subscriberStatuses);
export const subscriberSource = newsletterSchema.enum("subscriber_source", ["form", "account", "import"]);

export const subscribers = newsletterSchema.table(
  "subscribers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The writer (users.users.id). */
    authorId: uuid("author_id").notNull(),
    /** Lower-cased, so one address is one subscriber whatever its case. */
    email: text("email").notNull(),
    status: subscriberStatus("status").notNull(),
    source: subscriberSource("source").notNull(),
    /** What the writer stated about the consent of an imported list. */
    consentStatement: text("consent_statement"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** When the subscription became active (confirmed link, signed-in click, or confirmed import). */
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true }),
    /** The post whose mail the reader unsubscribed from (the per-post history counts them). */
    unsubscribedFromPostId: uuid("unsubscribed_from_post_id"),
    bouncedAt: timestamp("bounced_at", { withTimezone: true }),
    bounceReason: text("bounce_reason"),
  },
  (t) => [
    uniqueIndex("subscribers_author_email_key").on(t.authorId, t.email),
    index("subscribers_author_status_idx").on(t.authorId, t.status),
    index("subscribers_email_idx").on(t.email),
  ],
);
export type SubscriberRow = typeof subscribers.$inferSelect;

/**
 * Double opt-in links: only the SHA-256 of the random token is stored (as users.email_tokens), single
 * use, expiring.
 */
export const confirmationTokens = newsletterSchema.table(
  "confirmation_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("confirmation_tokens_subscriber_idx").on(t.subscriberId)],
);

export const sendStatuses = ["scheduled", "queued", "sending", "sent", "cancelled"] as const;
export type SendStatus = (typeof sendStatuses)[number];
export const sendStatus = newsletterSchema.enum("send_status", sendStatuses);

/** One emailing of a post (a post is emailed at most once). */
export const postSends = newsletterSchema.table("post_sends", {
  postId: uuid("post_id").primaryKey(),
  authorId: uuid("author_id").notNull(),
  status: sendStatus("status").notNull(),
  /** Recipients, fixed when the send starts (the active subscribers then). */
  total: integer("total").notNull().default(0),
  sent: integer("sent").notNull().default(0),
  failed: integer("failed").notNull().default(0),
  requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
  /** When the recipients were fixed and the batches enqueued; null until then. */
  startedAt: timestamp("started_at", { withTimezone: true }),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});
export type PostSendRow = typeof postSends.$inferSelect;

/**
 * - pending: to send;
 * - sending: an SMTP transaction was started (the final "." not yet written): safe to start again;
 * - sent: recorded by a COMMIT written just before the final "." of the SMTP DATA; never sent again;
 * - failed: refused for good (5xx) or out of retries.
 */
export const deliveryStatuses = ["pending", "sending", "sent", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];
export const deliveryStatus = newsletterSchema.enum("delivery_status", deliveryStatuses);

export const deliveries = newsletterSchema.table(
  "deliveries",
  {
    postId: uuid("post_id")
      .notNull()
      .references(() => postSends.postId, { onDelete: "cascade" }),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    batch: integer("batch").notNull(),
    status: deliveryStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.postId, t.subscriberId] }),
    index("deliveries_post_batch_idx").on(t.postId, t.batch),
    index("deliveries_unfinished_idx").on(t.postId).where(sql`${t.status} in ('pending', 'sending')`),
  ],
);

/**
 * A batch's deliveries counted when its job ends (a few hundred rows a send). The progress the writer
 * sees sums these, so a batch's report costs the number of batches, not a recount of every delivery.
 */
export const sendBatches = newsletterSchema.table(
  "send_batches",
  {
    postId: uuid("post_id")
      .notNull()
      .references(() => postSends.postId, { onDelete: "cascade" }),
    batch: integer("batch").notNull(),
    sent: integer("sent").notNull(),
    failed: integer("failed").notNull(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.batch] })],
);
