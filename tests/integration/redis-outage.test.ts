import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startRedisServer, stop, waitForOutput, type Child } from "../support/processes";

// This file talks to a Redis of its own, which it stops and restarts. The app modules read REDIS_URL
// when first imported, so they are imported only after it is set (vitest isolates each test file).
let redis: Child;
let port: number;
let app: {
  helpers: typeof import("./helpers");
  worker: typeof import("@/worker/post-worker");
};

async function startRedis(): Promise<Child> {
  const child = startRedisServer(port);
  await waitForOutput(child, /Ready to accept connections/);
  return child;
}

beforeAll(async () => {
  port = await freePort();
  redis = await startRedis();
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
  app = { helpers: await import("./helpers"), worker: await import("@/worker/post-worker") };
});

afterAll(async () => {
  await app.helpers.closeConnections();
  await stop(redis);
});

describe("Redis down when a writer saves", () => {
  it("still saves, and processes every post once Redis is back, with no one acting", async () => {
    const { newWriter, eventually } = app.helpers;
    const worker = app.worker.createPostWorker({ sweepIntervalMs: 500, sweepAfterSeconds: 1 });
    try {
      const { api } = await newWriter("Outage");
      const first = await api.posts.create({ title: "Before", markdown: "before the outage" });
      await eventually(() => api.posts.byId({ id: first.id }), (p) => p.status === "ready");

      await stop(redis); // Redis is gone: its queue and everything in it with it
      const saved = [];
      for (let n = 0; n < 3; n++) saved.push(await api.posts.create({ title: `During ${n}`, markdown: `saved during the outage ${n}` }));
      const edited = await api.posts.update({ id: first.id, version: 1, markdown: "edited during the outage" });
      for (const post of [...saved, edited]) expect(post.status).toBe("queued");

      redis = await startRedis(); // an empty Redis on the same port
      const page = await eventually(
        () => api.posts.list({}),
        (p) => p.items.length === 4 && p.items.every((post) => post.status === "ready" && post.processedVersion === post.version),
        30_000,
      );
      expect(page.items.find((p) => p.id === first.id)?.html).toBe("<p>edited during the outage</p>");
    } finally {
      await worker.close();
    }
  }, 60_000);
});
