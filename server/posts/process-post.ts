import type { ProcessPostPayload } from "../jobs/contract";
import { env } from "../env.js";
import { renderForJob } from "../render/inline";
import { announcePost } from "./status-events";
import { beginProcessing, completeProcessing, recordProcessingFailure } from "./processing";

// What a `process-post` job does, as a plain function: the worker's BullMQ processor delegates to it.

export type ProcessOutcome = "processed" | "skipped" | "stale";

/**
 * Renders one post version and stores the result. Does nothing for a missing post, a version that is no
 * longer current, or one already ready, so duplicate and late jobs are harmless.
 */
export async function processPost({ postId, version }: ProcessPostPayload): Promise<ProcessOutcome> {
  const target = await beginProcessing(postId, version);
  if (!target) return "skipped";
  // Not awaited: rendering need not wait for the event (announce never throws; events stay in order on
  // the one producer connection).
  void announcePost({ ...target, status: "processing", error: null });
  // Crash tests widen the window in which a job is `processing` (see WORKER_FAULT_DELAY_MS).
  if (env.WORKER_FAULT_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, env.WORKER_FAULT_DELAY_MS));

  // Inline when short, else in a render thread under its time limit: RenderTooComplexError when the
  // text passes a limit.
  const rendered = await renderForJob(target.markdown);
  const row = await completeProcessing(postId, version, rendered);
  if (!row) return "stale"; // edited meanwhile: the newer version's job does the work
  const { wentLive, wasLive, ...status } = row;
  await announcePost(status, wentLive ? { readers: wasLive ? "updated" : "added" } : {});
  return "processed";
}

/** Stores why an attempt failed: `queued` with the reason while retries remain, `failed` after the last. */
export async function recordFailure(payload: ProcessPostPayload, reason: string, final: boolean): Promise<void> {
  const row = await recordProcessingFailure(payload.postId, payload.version, reason, final);
  if (row) await announcePost(row);
}
