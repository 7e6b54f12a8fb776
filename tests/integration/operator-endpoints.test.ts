import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteRedisPrefix } from "../../scripts/services";

// The routes read METRICS_TOKEN when server/env.js is first imported, hence the dynamic imports. A
// queue prefix of its own, as in health.test.ts: workers of other test files must not count here.
const prefix = `{inkwell-test-operators-${randomBytes(4).toString("hex")}}`;
const TOKEN = "operator-token-for-tests-0123456789abcdef";
let routes: {
  health: typeof import("@/app/api/health/route");
  metrics: typeof import("@/app/api/metrics/route");
  helpers: typeof import("./helpers");
  access: typeof import("@/server/admin/operator-token");
};

beforeAll(async () => {
  process.env.METRICS_TOKEN = TOKEN;
  process.env.QUEUE_PREFIX = prefix;
  routes = {
    health: await import("@/app/api/health/route"),
    metrics: await import("@/app/api/metrics/route"),
    helpers: await import("./helpers"),
    access: await import("@/server/admin/operator-token"),
  };
});

afterAll(async () => {
  await routes.helpers.closeConnections();
  await deleteRedisPrefix(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", prefix);
});

const get = (path: string, headers: Record<string, string> = {}) => new Request(`http://127.0.0.1:3000${path}`, { headers });

// What a scraper or attacker might send instead of the token.
const NOT_THE_TOKEN: Record<string, string>[] = [
  {},
  { authorization: "" },
  { authorization: "Bearer" },
  { authorization: "Bearer " },
  { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
  { authorization: `Bearer ${TOKEN}x` },
  { authorization: `Bearer ${TOKEN.toUpperCase()}` },
  { authorization: `Basic ${Buffer.from(`ops:${TOKEN}`).toString("base64")}` },
  { authorization: TOKEN },
  { authorization: `Bearer ${TOKEN} ${TOKEN}` },
  { "x-metrics-token": TOKEN },
  { cookie: `token=${TOKEN}` },
];

describe("/api/metrics", () => {
  it("answers 401 without the operators' token", async () => {
    for (const headers of NOT_THE_TOKEN) {
      const response = await routes.metrics.GET(get("/api/metrics", headers));
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(await response.text()).not.toMatch(/inkwell_|process_/);
    }
  });

  it("serves Prometheus text with it", async () => {
    const response = await routes.metrics.GET(get("/api/metrics", { authorization: `Bearer ${TOKEN}` }));
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/inkwell_queue_jobs\{state="waiting"\} \d+/);
  });
});

describe("/api/health", () => {
  it("tells anyone only whether it is healthy, by status and { ok }", async () => {
    for (const path of ["/api/health", "/api/health?probe=web", "/api/health?probe=all"]) {
      for (const headers of NOT_THE_TOKEN) {
        const response = await routes.health.GET(get(path, headers));
        expect([200, 503]).toContain(response.status);
        expect(Object.keys((await response.json()) as object), `${path} ${JSON.stringify(headers)}`).toEqual(["ok"]);
      }
    }
  });

  it("keeps ?probe=web a web-only check for load balancers (no worker runs in this file)", async () => {
    const response = await routes.health.GET(get("/api/health?probe=web"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect((await routes.health.GET(get("/api/health"))).status).toBe(503);
  });

  it("gives operators the full report", async () => {
    const response = await routes.health.GET(get("/api/health", { authorization: `Bearer ${TOKEN}` }));
    const report = (await response.json()) as Record<string, unknown>;
    expect(report).toMatchObject({ ok: false, postgres: { ok: true }, redis: { ok: true }, workers: { ok: false, alive: 0 } });
    expect(report.queue).toEqual({ waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number), failed: expect.any(Number) });
  });
});

describe("the operators' token", () => {
  it("opens nothing while METRICS_TOKEN is unset", () => {
    expect(routes.access.hasOperatorToken(new Headers({ authorization: "Bearer " }), undefined)).toBe(false);
    expect(routes.access.hasOperatorToken(new Headers({ authorization: "Bearer undefined" }), undefined)).toBe(false);
  });
});
