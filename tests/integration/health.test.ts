import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteRedisPrefix } from "../../scripts/services";

// Worker heartbeats are per queue prefix; this file uses a prefix of its own so workers started (or
// killed) by other test files cannot count. App modules read it on first import, hence the imports below.
const prefix = `{inkwell-test-health-${randomBytes(4).toString("hex")}}`;
let app: {
  helpers: typeof import("./helpers");
  health: typeof import("@/server/health");
  metrics: typeof import("@/server/metrics");
  worker: typeof import("@/worker/post-worker");
};

beforeAll(async () => {
  process.env.QUEUE_PREFIX = prefix;
  app = {
    helpers: await import("./helpers"),
    health: await import("@/server/health"),
    metrics: await import("@/server/metrics"),
    worker: await import("@/worker/post-worker"),
  };
});

afterAll(async () => {
  await app.helpers.closeConnections();
  await deleteRedisPrefix(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", prefix);
});

describe("checkHealth", () => {
  it("is unhealthy while no worker reports, healthy once one does", async () => {
    const { checkHealth } = app.health;
    const before = await checkHealth();
    expect(before).toMatchObject({ ok: false, postgres: { ok: true }, redis: { ok: true }, workers: { ok: false, alive: 0 } });

    const worker = app.worker.createPostWorker({ sweepIntervalMs: 0 });
    try {
      const report = await app.helpers.eventually(checkHealth, (r) => r.ok);
      expect(report.workers).toEqual({ ok: true, alive: 1 });
      expect(report.queue).toEqual({ waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number), failed: expect.any(Number) });
    } finally {
      await worker.close();
    }
    expect((await checkHealth()).workers.alive).toBe(0); // a stopped worker removes its heartbeat
  });
});

describe("renderMetrics", () => {
  it("merges the worker's job metrics with the web's queue and request metrics", async () => {
    const { renderMetrics, startHttpTimer } = app.metrics;
    const worker = app.worker.createPostWorker({ sweepIntervalMs: 0, heartbeatIntervalMs: 100 });
    try {
      const { api } = await app.helpers.newWriter();
      const post = await api.posts.create({ title: "Measured", markdown: "Counted." });
      await app.helpers.eventually(() => api.posts.byId({ id: post.id }), (p) => p.status === "ready");
      startHttpTimer("/api/trpc", "POST")(200);
      const { body } = await app.helpers.eventually(renderMetrics, (m) => /inkwell_jobs_total\{job="process-post",outcome="processed"\} [1-9]/.test(m.body));
      expect(body).toMatch(/inkwell_job_duration_seconds_count\{job="process-post",outcome="processed"\} [1-9]/);
      expect(body).toMatch(/inkwell_queue_jobs\{state="waiting"\} \d+/);
      expect(body).toMatch(/inkwell_workers_alive 1/);
      expect(body).toMatch(/inkwell_http_request_duration_seconds_count\{route="\/api\/trpc",method="POST",status="200"\} 1/);
    } finally {
      await worker.close();
    }
  });
});
