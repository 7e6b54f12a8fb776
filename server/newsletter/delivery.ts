import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { RateLimiterQueue } from "rate-limiter-flexible";
import { db, transactionThen } from "../db";
import { env } from "../env.js";
import { logger as rootLogger } from "../logger";
import { getPostMailSource, type PostMailSource } from "../posts/mail-source";
import { getPublicProfilesByIds } from "../users/service";
import { buildRecipientMessage, composePostMail, senderAddress, type PostMailTemplate } from "./compose";
import { announceSendProgress, enqueueSendBatches } from "./queue";
import { deliveries, postSends, sendBatches, subscribers } from "./schema";
import type { NewsletterSender, RecordDelivery, SmtpRefusal } from "./smtp";

// The worker's side of a send. The rows are the truth: a send-post job fixes the recipients once (one
// delivery row each, numbered into batches) and enqueues a job per batch; a batch job sends what is
// still unsent in its batch. Each delivery is recorded before its SMTP transaction ("sending") and as
// "sent" by a transaction whose COMMIT is followed at once by the final "." that makes the server accept
// it (smtp.ts, transactionThen), so a worker killed at any point, a job run twice, or Redis losing the
// queue neither sends a second copy nor skips anyone: "sending" rows are sent again (the server never
// got their "."), "sent" rows never are. Only a kill between those two socket writes could skip one.

const logger = rootLogger.child({ component: "newsletter" });

/** Attempts per recipient before a temporary refusal (4xx) counts as a failure. */
export const MAX_DELIVERY_ATTEMPTS = 8;

export type StartOutcome = { outcome: "wait"; until: Date } | { outcome: "started"; batches: number } | { outcome: "finished" | "cancelled" };

/** Statuses of a delivery that still has to be sent. */
const unsent = ["pending", "sending"] as const;

async function cancelSend(postId: string, authorId: string): Promise<StartOutcome> {
  await db.update(postSends).set({ status: "cancelled", finishedAt: new Date() }).where(and(eq(postSends.postId, postId), isNull(postSends.startedAt)));
  await reportProgress(postId).catch(() => {});
  logger.info({ postId, authorId }, "send cancelled: the post is no longer going live");
  return { outcome: "cancelled" };
}

/** The send-post job: wait for the post to be live, fix the recipients, enqueue the unfinished batches. */
export async function startPostSend(postId: string): Promise<StartOutcome> {
  const [send] = await db.select().from(postSends).where(eq(postSends.postId, postId));
  if (!send || send.status === "cancelled" || send.status === "sent") return { outcome: "finished" };
  const source = await getPostMailSource(postId);
  if (!source || source.visibility === "draft") return cancelSend(postId, send.authorId);
  if (!source.live) {
    // Scheduled, or the version going live is still rendering: look again when it should be live.
    const soon = new Date(Date.now() + 2_000);
    return { outcome: "wait", until: source.scheduledAt && source.scheduledAt > soon ? source.scheduledAt : soon };
  }
  if (send.startedAt === null) {
    await db.transaction(async (tx) => {
      const [locked] = await tx.select({ startedAt: postSends.startedAt }).from(postSends).where(eq(postSends.postId, postId)).for("update");
      if (!locked || locked.startedAt) return;
      // The recipients are the active subscribers now; batch numbers split them NEWSLETTER_BATCH_SIZE a job.
      await tx.execute(sql`
        insert into ${deliveries} (post_id, subscriber_id, email, batch)
        select ${postId}::uuid, id, email, ((row_number() over (order by id)) - 1) / ${env.NEWSLETTER_BATCH_SIZE}
        from ${subscribers} where author_id = ${send.authorId} and status = 'active'
        on conflict do nothing`);
      const [counted] = await tx.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(eq(deliveries.postId, postId));
      const total = counted?.n ?? 0;
      const now = new Date();
      await tx
        .update(postSends)
        .set({ status: total === 0 ? "sent" : "sending", total, startedAt: now, finishedAt: total === 0 ? now : null })
        .where(eq(postSends.postId, postId));
    });
  }
  const batches = await db.selectDistinct({ batch: deliveries.batch }).from(deliveries).where(and(eq(deliveries.postId, postId), inArray(deliveries.status, unsent)));
  for (let i = 0; i < batches.length; i += 1_000) await enqueueSendBatches(batches.slice(i, i + 1_000).map(({ batch }) => ({ postId, batch })));
  await reportProgress(postId);
  return batches.length === 0 ? { outcome: "finished" } : { outcome: "started", batches: batches.length };
}

// The composed post, kept for the batches that follow (a send is hundreds of batch jobs of one post).
const templates = new Map<string, PostMailTemplate>();

async function templateFor(source: PostMailSource & { live: NonNullable<PostMailSource["live"]> }): Promise<PostMailTemplate | null> {
  const cached = templates.get(source.id);
  if (cached) return cached;
  const writer = (await getPublicProfilesByIds([source.authorId])).get(source.authorId);
  if (!writer) return null;
  const template = composePostMail({ id: source.id, title: source.live.title, slug: source.live.slug, html: source.live.html }, writer);
  templates.set(source.id, template);
  if (templates.size > 20) templates.delete(templates.keys().next().value ?? "");
  return template;
}

export interface SendContext {
  pool: NewsletterSender;
  /** The shared cap on mails a second (NEWSLETTER_SEND_RATE across all workers). */
  rate: RateLimiterQueue;
}

export interface BatchOutcome {
  sent: number;
  failed: number;
  /** Recipients refused for now (4xx, or the connection failed): the job is retried for them. */
  deferred: number;
  /** Already sent by another run of the same batch. */
  skipped: number;
}

type DeliveryKey = { postId: string; subscriberId: string };
const deliveryIs = ({ postId, subscriberId }: DeliveryKey) => and(eq(deliveries.postId, postId), eq(deliveries.subscriberId, subscriberId));

/** The send-batch job: sends what is unsent in one batch, `pool size` at a time. */
export async function sendBatch(postId: string, batch: number, context: SendContext): Promise<BatchOutcome> {
  const source = await getPostMailSource(postId);
  if (!source?.live) {
    logger.warn({ postId, batch }, "the post is no longer live; its remaining mails are not sent");
    return { sent: 0, failed: 0, deferred: 0, skipped: 0 };
  }
  const template = await templateFor({ ...source, live: source.live });
  if (!template) return { sent: 0, failed: 0, deferred: 0, skipped: 0 };
  // Before: every unsent delivery of the batch is recorded as being attempted, in one statement. A crash
  // from here until a delivery's "sent" leaves it to be sent again.
  const rows = await db
    .update(deliveries)
    .set({ status: "sending", attempts: sql`${deliveries.attempts} + 1` })
    .where(and(eq(deliveries.postId, postId), eq(deliveries.batch, batch), inArray(deliveries.status, unsent)))
    .returning({ subscriberId: deliveries.subscriberId, email: deliveries.email, attempts: deliveries.attempts });
  const outcome: BatchOutcome = { sent: 0, failed: 0, deferred: 0, skipped: 0 };
  let next = 0;
  const lane = async () => {
    while (next < rows.length) {
      const row = rows[next++];
      if (!row) break;
      const result = await deliverOne({ postId, subscriberId: row.subscriberId }, row, template, context);
      outcome[result]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(env.NEWSLETTER_SMTP_CONNECTIONS, rows.length) }, lane));
  await countBatch(postId, batch);
  await reportProgress(postId);
  return outcome;
}

async function deliverOne(key: DeliveryKey, attempt: { email: string; attempts: number }, template: PostMailTemplate, context: SendContext): Promise<keyof BatchOutcome> {
  await context.rate.removeTokens(1);
  const email = attempt.email;
  const message = await buildRecipientMessage(template, { subscriberId: key.subscriberId, email });
  let recorded = false;
  let unrecordedSend: unknown = null;
  const record: RecordDelivery = async (handOver) => {
    let handedOver = false;
    try {
      recorded = await transactionThen(
        async (run) => {
          // The row lock taken here holds off another run of this batch until the COMMIT; that run then
          // finds the delivery "sent" and drops its copy.
          const done = await run(
            db
              .update(deliveries)
              .set({ status: "sent", sentAt: new Date(), error: null })
              .where(and(deliveryIs(key), eq(deliveries.status, "sending")))
              .returning({ status: deliveries.status }),
          );
          return done.length === 1;
        },
        () => {
          handedOver = true;
          handOver();
        },
      );
      return recorded;
    } catch (err) {
      if (!handedOver) throw err;
      // The COMMIT failed after the "." went out: the message is on its way, its record is not.
      unrecordedSend = err;
      return true;
    }
  };
  try {
    const result = await context.pool.send(senderAddress(), email, message, record);
    if (result === "sent" && unrecordedSend) await recordLateSend(key, unrecordedSend);
    return result === "sent" ? "sent" : "skipped";
  } catch (err) {
    const refusal = err as SmtpRefusal;
    const permanent = (refusal.responseCode ?? 0) >= 500;
    const reason = (refusal.response ?? refusal.message).slice(0, 500);
    const outOfAttempts = attempt.attempts >= MAX_DELIVERY_ATTEMPTS;
    const status = permanent || outOfAttempts ? "failed" : "pending";
    // Refused before the record, or after it (the server rejected the message after its "."): the record
    // is corrected either way.
    await db.update(deliveries).set({ status, error: reason, sentAt: null }).where(deliveryIs(key));
    if (permanent) {
      await db
        .update(subscribers)
        .set({ status: "bouncing", bouncedAt: new Date(), bounceReason: reason })
        .where(and(eq(subscribers.id, key.subscriberId), eq(subscribers.status, "active")));
    }
    logger.warn({ postId: key.postId, subscriberId: key.subscriberId, code: refusal.responseCode, recorded, status }, permanent ? "address refused for good; marked bouncing" : "mail deferred");
    return status === "failed" ? "failed" : "deferred";
  }
}

/** A message the server accepted whose record failed to commit: recorded now, or a resend would double it. */
async function recordLateSend(key: DeliveryKey, commitError: unknown): Promise<void> {
  const log = logger.child({ postId: key.postId, subscriberId: key.subscriberId });
  log.warn({ err: commitError }, "a delivery's record failed after its message was handed over; recording it again");
  await db
    .update(deliveries)
    .set({ status: "sent", sentAt: new Date(), error: null })
    .where(deliveryIs(key))
    .catch((err: unknown) => log.error({ err }, "could not record a sent delivery: it will be sent again"));
}

/** Counts one batch's deliveries (its ~100 rows) into its send_batches row: called when the batch's job ends. */
async function countBatch(postId: string, batch: number): Promise<void> {
  await db.execute(sql`
    insert into ${sendBatches} (post_id, batch, sent, failed)
    select ${postId}::uuid, ${batch}, count(*) filter (where status = 'sent'), count(*) filter (where status = 'failed')
    from ${deliveries} where post_id = ${postId} and batch = ${batch}
    on conflict (post_id, batch) do update set sent = excluded.sent, failed = excluded.failed`);
}

const unfinishedDeliveries = (postId: string) => sql`exists (select 1 from ${deliveries} where post_id = ${postId} and status in ('pending', 'sending'))`;

/**
 * Brings a send's counts up to date and tells the writer's pages. While batches remain, the counts are
 * the sum of the batches' own (send_batches); the report that finds nothing left to send finishes the
 * send and counts its deliveries once, whole, so the final numbers never depend on a batch's report.
 */
export async function reportProgress(postId: string): Promise<void> {
  const finishing = sql`${postSends.status} = 'sending' and not ${unfinishedDeliveries(postId)}`;
  // Only a send still going takes the batches' sums: a report that waited on this row while another
  // finished the send sees the finished row, and its sums (from its older snapshot) would undercount.
  const count = (column: typeof postSends.sent | typeof postSends.failed, status: "sent" | "failed") => sql`(case
    when ${finishing} then (select count(*) from ${deliveries} where post_id = ${postId} and status = ${status})
    when ${postSends.status} = 'sending' then (select coalesce(sum(${sql.identifier(status)}), 0) from ${sendBatches} where post_id = ${postId})
    else ${column} end)::int`;
  const [row] = await db
    .update(postSends)
    .set({
      sent: count(postSends.sent, "sent"),
      failed: count(postSends.failed, "failed"),
      status: sql`case when ${finishing} then 'sent'::newsletter.send_status else ${postSends.status} end`,
      finishedAt: sql`case when ${finishing} then now() else ${postSends.finishedAt} end`,
    })
    .where(eq(postSends.postId, postId))
    .returning();
  if (!row) return;
  await announceSendProgress({ postId, authorId: row.authorId, status: row.status, total: row.total, sent: row.sent, failed: row.failed }).catch((err: unknown) =>
    logger.debug({ err }, "could not announce send progress"),
  );
}
