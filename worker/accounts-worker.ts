import { Queue, Worker, type Job } from "bullmq";
import { env } from "@/server/env.js";
import { ACCOUNTS_QUEUE, SWEEP_UNVERIFIED_JOB, SWEEP_UNVERIFIED_SCHEDULER_ID, createRedis, type SendMailPayload } from "@/server/jobs/contract";
import { jobs } from "@/server/jobs/registry";
import { logger as rootLogger } from "@/server/logger";
import { closeMail } from "@/server/mail/transport";
import { createJobProcessor } from "./job-processor";
import { sendAccountMail } from "@/server/users/account-mail";
import { deleteUnverifiedAccounts } from "@/server/users/service";

// The accounts queue's consumer: sends account mail (with BullMQ's retries and backoff) and runs the
// hourly sweep of accounts never verified. Thin: validate, delegate, let errors retry.

const logger = rootLogger.child({ component: "accounts-worker" });

export interface AccountsWorkerOptions {
  prefix?: string;
  concurrency?: number;
  /** How often the sweep of never-verified accounts runs; 0 registers no schedule. */
  sweepEveryMs?: number;
}

export interface AccountsWorker {
  worker: Worker;
  close(): Promise<void>;
}

async function sendMail(payload: SendMailPayload, job: Job): Promise<string> {
  try {
    const outcome = await sendAccountMail(payload);
    logger.info({ kind: payload.kind, outcome }, "send-mail done");
    return outcome;
  } catch (err) {
    logger.warn({ err, kind: payload.kind, attempt: job.attemptsMade + 1 }, "send-mail failed; BullMQ retries it");
    throw err;
  }
}

async function sweepUnverified(): Promise<string> {
  const deleted = await deleteUnverifiedAccounts();
  if (deleted > 0) logger.info({ deleted }, "deleted accounts never verified");
  return "done";
}

const processAccountsJob = createJobProcessor(ACCOUNTS_QUEUE, {
  "send-mail": sendMail,
  "sweep-unverified-accounts": sweepUnverified,
});

export function createAccountsWorker(options: AccountsWorkerOptions = {}): AccountsWorker {
  const prefix = options.prefix ?? env.QUEUE_PREFIX;
  const connection = createRedis(env.REDIS_URL, "worker");
  connection.on("error", (err) => logger.warn({ err: err.message }, "redis connection error; reconnecting"));
  const worker = new Worker(ACCOUNTS_QUEUE, processAccountsJob, {
    connection,
    prefix,
    concurrency: options.concurrency ?? env.WORKER_CONCURRENCY,
    lockDuration: env.WORKER_LOCK_DURATION_MS,
    stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
  });
  worker.on("error", (err) => logger.error({ err }, "worker error"));

  // The sweep is a job scheduler: one schedule per queue however many workers upsert it.
  const sweepEveryMs = options.sweepEveryMs ?? 3600_000;
  const scheduler = sweepEveryMs > 0 ? new Queue(ACCOUNTS_QUEUE, { connection, prefix }) : undefined;
  if (scheduler) {
    scheduler.on("error", (err) => logger.warn({ err: err.message }, "sweep scheduler error"));
    void scheduler
      .upsertJobScheduler(SWEEP_UNVERIFIED_SCHEDULER_ID, { every: sweepEveryMs }, { name: SWEEP_UNVERIFIED_JOB, data: {}, opts: jobs[SWEEP_UNVERIFIED_JOB].options })
      .catch((err: unknown) => logger.warn({ err }, "could not schedule the sweep of unverified accounts"));
  }

  return {
    worker,
    async close() {
      await worker.close();
      await scheduler?.close();
      closeMail();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
