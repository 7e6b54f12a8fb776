import { afterAll, describe, expect, it } from "vitest";
import { JOB_CONTRACT_VERSION, PROCESS_POST_JOB, processPostJobId, withContractVersion } from "@/server/jobs/contract";
import { queue as jobQueue } from "@/server/jobs/queues";
import { createPostWorker, type PostWorker } from "@/worker/post-worker";
import { closeConnections, eventually, newWriter } from "./helpers";

// Workers of two releases share the queue during a rolling deploy. These jobs go through the real
// queue to a real worker of this release (contract version JOB_CONTRACT_VERSION), with payloads as an
// older or a newer release writes them. The previous release's own worker and producer, side by side
// with this release, are tested by `npm run test:previous-release` (tests/previous-release/).

const newer = JOB_CONTRACT_VERSION + 1;
const workers: PostWorker[] = [];
const cleanup: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  for (const step of cleanup) await step().catch(() => {});
  await closeConnections();
});

function startWorker(): PostWorker {
  const worker = createPostWorker({ sweepIntervalMs: 0 });
  workers.push(worker);
  return worker;
}

describe("the versioned job contract", () => {
  it("stamps every job with the contract version of the release that enqueued it", async () => {
    const { api } = await newWriter("Stamp");
    const post = await api.posts.create({ title: "Stamped", markdown: "v" });
    const job = await jobQueue("posts").getJob(processPostJobId({ postId: post.id, version: post.version }));
    expect(job?.data).toMatchObject({ postId: post.id, version: post.version, contractVersion: JOB_CONTRACT_VERSION });
  });

  it("processes an older release's job: an unstamped payload counts as version 1, and its extra fields are ignored", async () => {
    const { api } = await newWriter("Older");
    const post = await api.posts.create({ title: "From the past", markdown: "Still **read**." });
    const job = await jobQueue("posts").getJob(processPostJobId({ postId: post.id, version: post.version }));
    if (!job) throw new Error("the save enqueued no job");
    // As a release before contract versions wrote it: ids only, no stamp, and a field since retired.
    const fromOlderRelease: unknown = { postId: post.id, version: post.version, priority: "normal" };
    await job.updateData(fromOlderRelease as never);

    const worker = createPostWorker({ sweepIntervalMs: 0 });
    try {
      // The file's first render starts the render threads: slow on a busy machine.
      const ready = await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status !== "queued" && p.status !== "processing", 60_000);
      expect(ready).toMatchObject({ status: "ready", processedVersion: post.version, html: "<p>Still <strong>read</strong>.</p>" });
    } finally {
      await worker.close(); // the next test enqueues before it starts a worker
    }
  }, 90_000);

  it("processes a newer release's job that it can read, ignoring the fields it does not know", async () => {
    const { api } = await newWriter("Newer");
    const post = await api.posts.create({ title: "From the future", markdown: "Read **anyway**." });
    const job = await jobQueue("posts").getJob(processPostJobId({ postId: post.id, version: post.version }));
    if (!job) throw new Error("the save enqueued no job");
    // As the next release would write it: a higher version and a field this release has never heard of.
    const fromNextRelease: unknown = { ...job.data, contractVersion: newer, renderHints: { theme: "sepia" } };
    await job.updateData(fromNextRelease as never);

    startWorker();
    const ready = await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status !== "queued" && p.status !== "processing");
    expect(ready).toMatchObject({ status: "ready", html: "<p>Read <strong>anyway</strong>.</p>" });
  });

  it("leaves a newer release's job it cannot read for a newer worker: delayed, not failed, attempts untouched", async () => {
    startWorker();
    const queue = jobQueue("posts");
    // A payload shape this release does not know (the post is named differently), from the next release.
    const job = await queue.add(PROCESS_POST_JOB, { contractVersion: newer, post: { id: crypto.randomUUID(), version: 1 } } as never, {
      jobId: `contract-test-${crypto.randomUUID()}`,
    });
    cleanup.push(() => job.remove());
    const state = await eventually(
      async () => {
        const current = await queue.getJob(job.id!);
        return { state: await current?.getState(), attemptsStarted: current?.attemptsStarted ?? 0, attemptsMade: current?.attemptsMade };
      },
      (s) => s.attemptsStarted > 0 && s.state === "delayed",
    );
    expect(state).toMatchObject({ state: "delayed", attemptsMade: 0 });
  });

  it("fails a broken payload of its own version at once, as before", async () => {
    startWorker();
    const queue = jobQueue("posts");
    const job = await queue.add(PROCESS_POST_JOB, withContractVersion({ postId: "not-a-uuid", version: 1 }), { jobId: `contract-test-${crypto.randomUUID()}` });
    cleanup.push(() => job.remove());
    const failed = await eventually(
      async () => queue.getJob(job.id!),
      (current) => current?.failedReason !== undefined && current.failedReason !== "",
    );
    expect(await failed!.getState()).toBe("failed");
    expect(failed!.failedReason).toMatch(/^invalid payload:/);
    expect(failed!.attemptsMade).toBe(1); // unrecoverable: no retries
  });
});
