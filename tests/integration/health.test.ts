import { afterAll, describe, expect, it } from "vitest";
import { checkHealth } from "@/server/health";
import { renderMetrics, startHttpTimer } from "@/server/metrics";
import { createPostWorker } from "@/worker/post-worker";
import { closeConnections, eventually, newWriter } from "./helpers";

afterAll(async () => {
  await closeConnections();
});

describe("checkHealth", () => {
  it("is unhealthy while no worker reports, healthy once one does", async () => {
    const before = await checkHealth();
    expect(before).toMatchObject({ ok: false, postgres: { ok: true }, redis: { ok: true }, workers: { ok: false, alive: 0 } });

    const worker = createPostWorker({ sweepIntervalMs: 0 });
    try {
      const report = await eventually(checkHealth, (r) => r.ok);
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
    const worker = createPostWorker({ sweepIntervalMs: 0, heartbeatIntervalMs: 100 });
    try {
      const { api } = await newWriter();
      const post = await api.posts.create({ title: "Measured", markdown: "Counted." });
      await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status === "ready");
      startHttpTimer("/api/trpc", "POST")(200);
      const { body } = await eventually(renderMetrics, (m) => /inkwell_jobs_total\{outcome="processed"\} [1-9]/.test(m.body));
      expect(body).toMatch(/inkwell_job_duration_seconds_count\{outcome="processed"\} [1-9]/);
      expect(body).toMatch(/inkwell_queue_jobs\{state="waiting"\} \d+/);
      expect(body).toMatch(/inkwell_workers_alive 1/);
      expect(body).toMatch(/inkwell_http_request_duration_seconds_count\{route="\/api\/trpc",method="POST",status="200"\} 1/);
    } finally {
      await worker.close();
    }
  });
});
