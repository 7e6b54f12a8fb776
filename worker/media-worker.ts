import { UnrecoverableError, Worker, type Job } from "bullmq";
import { env } from "@/server/env.js";
import { createRedis } from "@/server/jobs/contract";
import { COLLECT_UNUSED_IMAGES_JOB, COLLECT_UNUSED_IMAGES_SCHEDULER_ID, MEDIA_QUEUE, type ProcessImagePayload } from "@/server/jobs/media-contract";
import { queue } from "@/server/jobs/queues";
import { jobs } from "@/server/jobs/registry";
import { logger as rootLogger } from "@/server/logger";
import { collectUnusedImages } from "@/server/media/collect-unused";
import { processImage, recordImageFailure, requeueStaleImages } from "@/server/media/process-image";
import { copyRemoteImage } from "@/server/media/remote-copy";
import { ImageRefusedError } from "@/server/media/transform";
import { createJobProcessor, isFinalAttempt } from "./job-processor";

// The media queue's consumer: thin processors that validate the payload and delegate to server/media.

const logger = rootLogger.child({ component: "media-worker" });

export interface MediaWorkerOptions {
  prefix?: string;
  concurrency?: number;
  /** How often the collection of unused images runs; 0 schedules none (tests run it directly). */
  collectEveryMs?: number;
  /** How often images left `queued` (their job lost to a Redis outage) are enqueued again; 0 disables. */
  sweepIntervalMs?: number;
}

export interface MediaWorker {
  worker: Worker;
  close(): Promise<void>;
}

async function processImageJob({ contentHash }: ProcessImagePayload, job: Job): Promise<string> {
  try {
    return await processImage(contentHash);
  } catch (err) {
    // The same bytes fail the same way every time: fail now, the reason is already on the rows.
    if (err instanceof ImageRefusedError) throw new UnrecoverableError(err.message);
    if (isFinalAttempt(job, err)) await recordImageFailure(contentHash, "The image could not be processed just now; press Retry.").catch(() => {});
    throw err;
  }
}

const processMediaJob = createJobProcessor(MEDIA_QUEUE, {
  "process-image": processImageJob,
  "copy-remote-image": ({ imageId }) => copyRemoteImage(imageId),
  "collect-unused-images": async () => {
    logger.info({ removed: await collectUnusedImages() }, "collect-unused-images done");
    return "done";
  },
});

export function createMediaWorker(options: MediaWorkerOptions = {}): MediaWorker {
  const connection = createRedis(env.REDIS_URL, "worker");
  connection.on("error", (err) => logger.warn({ err: err.message }, "redis connection error; reconnecting"));
  const worker = new Worker(MEDIA_QUEUE, processMediaJob, {
    connection,
    prefix: options.prefix ?? env.QUEUE_PREFIX,
    // Image work is CPU and memory heavy (sharp uses its own threads): fewer at once than renders.
    concurrency: options.concurrency ?? Math.max(1, Math.ceil(env.WORKER_CONCURRENCY / 2)),
    lockDuration: env.WORKER_LOCK_DURATION_MS,
    stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: 2,
  });
  worker.on("error", (err) => logger.error({ err }, "media worker error"));
  worker.on("failed", (job, err) => logger.warn({ jobId: job?.id, job: job?.name, err: err.message }, "media job failed"));

  const collectEveryMs = options.collectEveryMs ?? 24 * 3600 * 1000;
  if (collectEveryMs > 0) {
    void queue(MEDIA_QUEUE)
      .upsertJobScheduler(COLLECT_UNUSED_IMAGES_SCHEDULER_ID, { every: collectEveryMs }, { name: COLLECT_UNUSED_IMAGES_JOB, data: {}, opts: jobs[COLLECT_UNUSED_IMAGES_JOB].options })
      .catch((err: unknown) => logger.warn({ err }, "could not schedule collect-unused-images; the next start tries again"));
  }

  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  const sweep = async () => {
    try {
      const count = await requeueStaleImages();
      if (count > 0) logger.info({ count }, "re-enqueued images left queued");
    } catch (err) {
      logger.warn({ err }, "media sweep failed; will try again");
    }
  };
  const timer = sweepIntervalMs > 0 ? setInterval(() => void sweep(), sweepIntervalMs) : undefined;
  timer?.unref();

  return {
    worker,
    async close() {
      if (timer) clearInterval(timer);
      await worker.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
