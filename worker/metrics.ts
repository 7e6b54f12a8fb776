import { Counter, Histogram, Registry } from "prom-client";

// The worker's own metrics. They reach Prometheus through the web's /api/metrics (see heartbeat.ts),
// so operators scrape one endpoint however many worker processes run.

export const workerRegistry = new Registry();

export const jobDuration = new Histogram({
  name: "inkwell_job_duration_seconds",
  help: "Time to run one job, by job name and outcome.",
  labelNames: ["job", "outcome"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [workerRegistry],
});

export const jobOutcomes = new Counter({
  name: "inkwell_jobs_total",
  help: "Jobs run, by job name and outcome (process-post: processed, skipped, stale, failed).",
  labelNames: ["job", "outcome"] as const,
  registers: [workerRegistry],
});

export const rerenderedPosts = new Counter({
  name: "inkwell_rerendered_posts_total",
  help: "Posts whose stored renderings the rerender-posts job made again with the current render engine, by outcome (rerendered, skipped).",
  labelNames: ["outcome"] as const,
  registers: [workerRegistry],
});
