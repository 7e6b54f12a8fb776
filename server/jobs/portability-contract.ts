import type { DefaultJobOptions } from "bullmq";
import { z } from "zod";

// The portability queue's contract: imports (dry run, then import) and exports, consumed by
// worker/portability-worker.ts. Ids only; the rows in the portability schema are the source of truth.
// The registry (registry.ts) lists these job types.

export const PORTABILITY_QUEUE = "portability";

export const ANALYSE_IMPORT_JOB = "analyse-import";
export const RUN_IMPORT_JOB = "run-import";
export const BUILD_EXPORT_JOB = "build-export";

export const importJobPayloadSchema = z.object({ importId: z.uuid() });
export type ImportJobPayload = z.infer<typeof importJobPayloadSchema>;
export const exportJobPayloadSchema = z.object({ exportId: z.uuid() });
export type ExportJobPayload = z.infer<typeof exportJobPayloadSchema>;

/** One job per import step or export: a repeated click collapses into the pending job. */
export const analyseImportJobId = ({ importId }: ImportJobPayload) => `${ANALYSE_IMPORT_JOB}-${importId}`;
export const runImportJobId = ({ importId }: ImportJobPayload) => `${RUN_IMPORT_JOB}-${importId}`;
export const buildExportJobId = ({ exportId }: ExportJobPayload) => `${BUILD_EXPORT_JOB}-${exportId}`;

export const portabilityJobOptions = {
  // A crashed or restarted worker's job is taken up again (stalled) and resumes from the database;
  // retries with backoff ride out a database or Redis restart.
  attempts: 5,
  backoff: { type: "exponential", delay: 2_000, jitter: 0.5 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 1_000 },
} satisfies DefaultJobOptions;
