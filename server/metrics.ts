import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { env } from "./env.js";
import { readHeartbeats } from "./jobs/heartbeat";
import { queueDepths } from "./jobs/queues";
import { sharedRedis } from "./jobs/redis";
import { readSupervisorReports } from "./jobs/restarts";

// The web process's Prometheus metrics, merged at scrape time with every live worker's (which the
// workers leave in Redis with their heartbeat), so one endpoint shows the whole system.

type WebMetrics = { registry: Registry; httpDuration: Histogram<"route" | "method" | "status"> };
const globalForMetrics = globalThis as unknown as { inkwellMetrics?: WebMetrics };

function webMetrics(): WebMetrics {
  if (!globalForMetrics.inkwellMetrics) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: "inkwell_web_" });
    const httpDuration = new Histogram({
      name: "inkwell_http_request_duration_seconds",
      help: "API request durations, by route, method and status.",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    new Gauge({
      name: "inkwell_queue_jobs",
      help: "Jobs in the posts queue (process-post, publish-post, rerender-posts), by state.",
      labelNames: ["state"] as const,
      registers: [registry],
      async collect() {
        const depths = await queueDepths().catch(() => null);
        if (!depths) return;
        for (const [state, count] of Object.entries(depths)) this.set({ state }, count);
      },
    });
    new Gauge({
      name: "inkwell_workers_alive",
      help: "Worker processes that sent a heartbeat within the last 30 seconds.",
      registers: [registry],
      async collect() {
        const beats = await readHeartbeats(await sharedRedis(), env.QUEUE_PREFIX).catch(() => null);
        if (beats) this.set(beats.length);
      },
    });
    new Counter({
      name: "inkwell_process_restarts_total",
      help: "Crashed processes restarted by their supervisor (npm start), by process and supervisor; resets when the supervisor restarts.",
      labelNames: ["process", "supervisor"] as const,
      registers: [registry],
      async collect() {
        const reports = await readSupervisorReports(await sharedRedis(), env.QUEUE_PREFIX).catch(() => null);
        if (!reports) return;
        // The counts live in Redis (the supervisor's report): mirror them, rather than add to them.
        this.reset();
        for (const report of reports) {
          for (const [name, { count }] of Object.entries(report.restarts)) this.inc({ process: name, supervisor: report.id }, count);
        }
      },
    });
    globalForMetrics.inkwellMetrics = { registry, httpDuration };
  }
  return globalForMetrics.inkwellMetrics;
}

/** Times one API request; call the returned function with the response status. */
export function startHttpTimer(route: string, method: string): (status: number) => void {
  const end = webMetrics().httpDuration.startTimer({ route, method });
  return (status) => void end({ status: String(status) });
}

/** Prometheus text for the web process plus every live worker. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  const { registry } = webMetrics();
  const own = await registry.getMetricsAsJSON();
  const beats = await readHeartbeats(await sharedRedis(), env.QUEUE_PREFIX).catch(() => []);
  const merged = AggregatorRegistry.aggregate([own, ...beats.map((b) => b.metrics)]);
  return { contentType: registry.contentType, body: await merged.metrics() };
}
