import { DelayedError, Worker, type Job } from "bullmq";
import { RateLimiterQueue, RateLimiterRedis } from "rate-limiter-flexible";
import { env } from "@/server/env.js";
import { createRedis } from "@/server/jobs/contract";
import { NEWSLETTER_QUEUE } from "@/server/jobs/newsletter-contract";
import { logger as rootLogger } from "@/server/logger";
import { outboxDir } from "@/server/mail/transport";
import { sendBatch, startPostSend, type SendContext } from "@/server/newsletter/delivery";
import { sendConfirmationMail, sendTestMail } from "@/server/newsletter/mails";
import { OutboxSender, SmtpPool, type NewsletterSender } from "@/server/newsletter/smtp";
import { resumeLostSends } from "@/server/newsletter/sweeps";
import { createJobProcessor } from "./job-processor";

// The newsletter queue's consumer. Thin: validate the payload, delegate to server/newsletter, let errors
// retry with the queue's backoff. The rows say what is left to send, so any job may safely run again.

const logger = rootLogger.child({ component: "newsletter-worker" });

export interface NewsletterWorkerOptions {
  prefix?: string;
  /** Batch jobs run at once in this process (they share its SMTP connections). */
  concurrency?: number;
  /** Overrides SMTP_URL (tests point it at their own SMTP server). */
  smtpUrl?: string;
  /** How often to look for sends whose jobs Redis lost (0: never). */
  sweepIntervalMs?: number;
  /** How old an unfinished send must be before the sweep looks at its jobs. */
  sweepAfterSeconds?: number;
}

export interface NewsletterWorker {
  worker: Worker;
  close(): Promise<void>;
}

function createSender(smtpUrl: string | undefined): NewsletterSender {
  if (smtpUrl) return new SmtpPool(smtpUrl, env.NEWSLETTER_SMTP_CONNECTIONS);
  return new OutboxSender(outboxDir() ?? ".data/outbox");
}

export function createNewsletterWorker(options: NewsletterWorkerOptions = {}): NewsletterWorker {
  const prefix = options.prefix ?? env.QUEUE_PREFIX;
  const connection = createRedis(env.REDIS_URL, "worker");
  connection.on("error", (err) => logger.warn({ err: err.message }, "redis connection error; reconnecting"));
  const limiterRedis = createRedis(env.REDIS_URL, "worker");
  limiterRedis.on("error", () => {});
  // One budget of mails a second for every worker (an SES account's limit is per account, not per host).
  const limiter = new RateLimiterRedis({ storeClient: limiterRedis, keyPrefix: `${prefix}:newsletter-rate`, points: env.NEWSLETTER_SEND_RATE, duration: 1 });
  const context: SendContext = { pool: createSender(options.smtpUrl ?? env.SMTP_URL), rate: new RateLimiterQueue(limiter, { maxQueueSize: 100_000 }) };

  const processNewsletterJob = createJobProcessor(NEWSLETTER_QUEUE, {
    "send-post": async ({ postId }, job: Job, token) => {
      const started = await startPostSend(postId);
      if (started.outcome === "wait") {
        await job.moveToDelayed(started.until.getTime(), token);
        throw new DelayedError();
      }
      logger.info({ postId, ...started }, "send-post done");
      return started.outcome;
    },
    "send-batch": async ({ postId, batch }) => {
      const outcome = await sendBatch(postId, batch, context);
      logger.info({ postId, batch, ...outcome }, "send-batch done");
      // Temporary refusals: the job runs again after its backoff, for them only.
      if (outcome.deferred > 0) throw new Error(`${outcome.deferred} recipients deferred; retrying`);
      return "done";
    },
    "send-test": ({ postId, authorId }) => sendTestMail(postId, authorId),
    "send-confirmation": ({ subscriberId }) => sendConfirmationMail(subscriberId),
  });

  const worker = new Worker(NEWSLETTER_QUEUE, processNewsletterJob, {
    connection,
    prefix,
    concurrency: options.concurrency ?? env.WORKER_CONCURRENCY,
    lockDuration: env.WORKER_LOCK_DURATION_MS,
    stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
    // A batch may be interrupted any number of times (killed workers, lost locks on a busy host): the
    // rows make running it again safe, so a stalled batch is always retried, never failed for it.
    maxStalledCount: 1_000,
  });
  worker.on("error", (err) => logger.error({ err }, "worker error"));

  const sweepAfterSeconds = options.sweepAfterSeconds ?? 60;
  const sweep = async () => {
    try {
      const resumed = await resumeLostSends(sweepAfterSeconds);
      if (resumed.sendsResumed + resumed.batchesResumed > 0) logger.warn(resumed, "re-enqueued newsletter jobs that Redis lost");
    } catch (err) {
      logger.warn({ err }, "newsletter sweep failed; will try again");
    }
  };
  const sweepIntervalMs = options.sweepIntervalMs ?? 30_000;
  const timer = sweepIntervalMs > 0 ? setInterval(() => void sweep(), sweepIntervalMs) : undefined;
  timer?.unref();

  return {
    worker,
    async close() {
      if (timer) clearInterval(timer);
      await worker.close();
      await context.pool.close();
      await limiterRedis.quit().catch(() => limiterRedis.disconnect());
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
