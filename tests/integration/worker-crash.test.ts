import { afterAll, describe, expect, it } from "vitest";
import { createPostWorker } from "@/worker/post-worker";
import { closeConnections, eventually, newWriter } from "./helpers";
import { startWorkerProcess, stop, waitForOutput, type Child } from "../support/processes";

const children: Child[] = [];
afterAll(async () => {
  await Promise.all(children.map((child) => stop(child, "SIGKILL")));
  await closeConnections();
});

// Short locks so a dead worker's jobs are recovered within seconds instead of the default 30.
const fastRecovery = { WORKER_LOCK_DURATION_MS: "2000", WORKER_STALLED_INTERVAL_MS: "1000", WORKER_CONCURRENCY: "2" };

describe("a worker killed with SIGKILL mid-job", () => {
  it("loses nothing: another worker picks the jobs up and every post ends processed once", async () => {
    const doomed = startWorkerProcess({ ...fastRecovery, WORKER_FAULT_DELAY_MS: "60000" });
    children.push(doomed);
    await waitForOutput(doomed, /worker started/);

    const { api } = await newWriter("Crash");
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) ids.push((await api.posts.create({ title: `Crash ${n}`, markdown: `Body ${n}` })).id);

    // The doomed worker holds two jobs in `processing` (its fault delay keeps them there).
    await eventually(() => api.posts.list({}), (page) => page.items.filter((p) => p.status === "processing").length === 2);
    expect(await stop(doomed, "SIGKILL")).toBeNull(); // killed by the signal, not exited
    expect(doomed.output()).not.toMatch(/process-post done/);

    const rescuer = startWorkerProcess(fastRecovery);
    children.push(rescuer);
    const final = await eventually(
      () => api.posts.list({}),
      (page) => page.items.length === 4 && page.items.every((p) => p.status === "ready"),
      40_000,
    );
    for (const post of final.items) {
      expect(post).toMatchObject({ version: 1, processedVersion: 1, html: `<p>Body ${post.title.split(" ")[1]}</p>` });
    }
    expect(await stop(rescuer, "SIGTERM")).toBe(0);
    // Exactly once in effect: the rescuer rendered and stored each version once, the doomed none.
    const processed = rescuer.output().match(/"outcome":"processed"/g) ?? [];
    expect(processed).toHaveLength(4);
  }, 90_000);
});

describe("SIGTERM", () => {
  it("finishes the job in hand, takes no new work and exits 0", async () => {
    const worker = startWorkerProcess({ WORKER_CONCURRENCY: "1", WORKER_FAULT_DELAY_MS: "1500" });
    children.push(worker);
    await waitForOutput(worker, /worker started/);
    const { api } = await newWriter("Term");
    const first = await api.posts.create({ title: "In hand", markdown: "first" });
    await eventually(() => api.posts.byId({ id: first.id }), (p) => p.status === "processing");
    const second = await api.posts.create({ title: "Not started", markdown: "second" });

    expect(await stop(worker, "SIGTERM")).toBe(0);
    expect((await api.posts.byId({ id: first.id })).status).toBe("ready");
    expect((await api.posts.byId({ id: second.id })).status).toBe("queued"); // left for the next worker

    const next = createPostWorker({ sweepIntervalMs: 0 });
    try {
      await eventually(() => api.posts.byId({ id: second.id }), (p) => p.status === "ready");
    } finally {
      await next.close();
    }
  }, 60_000);
});

describe("two workers and a burst of saves", () => {
  it("leaves every post at its last version, and Update makes that version live", async () => {
    const workers = [createPostWorker({ concurrency: 2, sweepIntervalMs: 0 }), createPostWorker({ concurrency: 2, sweepIntervalMs: 0 })];
    try {
      const { api, profile } = await newWriter("Burst");
      const posts = await Promise.all([0, 1, 2, 3].map((n) => api.posts.create({ title: `Burst ${n}`, markdown: "v1" })));
      await Promise.all(posts.map((p) => api.posts.publish({ id: p.id })));
      await Promise.all(
        posts.map(async (post) => {
          let version = post.version;
          for (let v = 2; v <= 12; v++) version = (await api.posts.update({ id: post.id, version, markdown: `v${v}` })).version;
          // Update right behind the last save: the workers make version 12 live, whichever renders it.
          await api.posts.publish({ id: post.id, version });
        }),
      );
      const page = await eventually(
        () => api.posts.list({}),
        (p) => p.items.every((post) => post.status === "ready" && post.processedVersion === 12 && post.publishedVersion === 12),
        30_000,
      );
      for (const post of page.items) {
        expect(post).toMatchObject({ version: 12, markdown: "v12", html: "<p>v12</p>" });
        const { callerFor } = await import("./helpers");
        const reader = callerFor({ user: { id: "00000000-0000-4000-8000-000000000000", email: "r@example.com", username: "reader", name: "Reader" } });
        expect((await reader.posts.bySlug({ username: profile.username, slug: post.slug })).html).toBe("<p>v12</p>");
      }
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  }, 60_000);
});
