import { Worker, type Job } from "bullmq";
import { env } from "@/server/env.js";
import { createRedis } from "@/server/jobs/contract";
import { PORTABILITY_QUEUE, type ExportJobPayload, type ImportJobPayload } from "@/server/jobs/portability-contract";
import { logger as rootLogger } from "@/server/logger";
import { buildExport, markExportFailed } from "@/server/portability/export-service";
import { analyseImport, markImportFailed, runImport } from "@/server/portability/import-service";
import { createJobProcessor, isFinalAttempt } from "./job-processor";

// The portability queue's consumer: thin, delegating to server/portability. A worker crash mid-import
// leaves the job stalled; BullMQ hands it to a worker again and runImport resumes by its import keys.

const logger = rootLogger.child({ component: "portability-worker" });

const FAILED_MESSAGE = "Something went wrong on our side while handling your archive. Nothing more will happen; try again later.";

export interface PortabilityWorker {
  worker: Worker;
  close(): Promise<void>;
}

/** One import step; after the last attempt the writer is told it failed. */
function importStep(step: (importId: string) => Promise<string>) {
  return async ({ importId }: ImportJobPayload, job: Job): Promise<string> => {
    try {
      const outcome = await step(importId);
      logger.info({ job: job.name, importId, outcome }, "import step done");
      return outcome;
    } catch (err) {
      logger.warn({ err, job: job.name, importId, attempt: job.attemptsMade + 1 }, "import step failed");
      if (isFinalAttempt(job, err)) await markImportFailed(importId, FAILED_MESSAGE);
      throw err;
    }
  };
}

async function exportJob({ exportId }: ExportJobPayload, job: Job): Promise<string> {
  try {
    const outcome = await buildExport(exportId);
    logger.info({ exportId, outcome }, "export done");
    return outcome;
  } catch (err) {
    logger.warn({ err, exportId, attempt: job.attemptsMade + 1 }, "export failed");
    if (isFinalAttempt(job, err)) await markExportFailed(exportId, FAILED_MESSAGE);
    throw err;
  }
}

const processPortabilityJob = createJobProcessor(PORTABILITY_QUEUE, {
  "analyse-import": importStep(analyseImport),
  "run-import": importStep(runImport),
  "build-export": exportJob,
});

export function createPortabilityWorker(options: { prefix?: string; concurrency?: number } = {}): PortabilityWorker {
  const connection = createRedis(env.REDIS_URL, "worker");
  connection.on("error", (err) => logger.warn({ err: err.message }, "redis connection error; reconnecting"));
  // Imports and exports are long and heavy: two at a time per worker process leaves room for rendering.
  const worker = new Worker(PORTABILITY_QUEUE, processPortabilityJob, {
    connection,
    prefix: options.prefix ?? env.QUEUE_PREFIX,
    concurrency: options.concurrency ?? 2,
    lockDuration: env.WORKER_LOCK_DURATION_MS,
    stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
  });
  worker.on("error", (err) => logger.error({ err }, "worker error"));
  return {
    worker,
    async close() {
      await worker.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
