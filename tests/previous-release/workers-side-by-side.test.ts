import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startProcess, waitForOutput, type ManagedProcess } from "../../scripts/services";
import { processPostJobId } from "@/server/jobs/contract";
import { queue } from "@/server/jobs/queues";
import { createPostWorker, type PostWorker } from "@/worker/post-worker";
import { closeConnections, eventually, newWriter } from "../integration/helpers";

// Workers of two releases share the queue during a rolling deploy: the previous release's worker (a
// process started from its checkout) and this release's code, on this tree's schema. Run by
// `npm run test:previous-release` (scripts/previous-release.ts), which checks the previous release out
// and names its directory in PREVIOUS_RELEASE_DIR. How each release treats the other's payloads field
// by field is in tests/integration/job-contract.test.ts.

const previousDir = process.env.PREVIOUS_RELEASE_DIR;
const processes: ManagedProcess[] = [];
let currentWorker: PostWorker | undefined;

function inPrevious(name: string, args: string[]): ManagedProcess {
  if (!previousDir) throw new Error("PREVIOUS_RELEASE_DIR is not set: run this file through `npm run test:previous-release`.");
  // `node --import tsx` runs its TypeScript with its own node_modules and tsconfig paths.
  const proc = startProcess(name, process.execPath, ["--import", "tsx", ...args], { cwd: previousDir, env: { ...process.env, LOG_LEVEL: "info" } });
  processes.push(proc);
  return proc;
}

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop({ graceMs: 15_000 })));
  await currentWorker?.close();
  await closeConnections();
});

describe("workers of the previous release and this one, side by side", () => {
  let previousWorker: ManagedProcess;
  beforeAll(async () => {
    previousWorker = inPrevious("previous release's worker", ["worker/index.ts"]);
    await waitForOutput(previousWorker, /worker started/, 90_000);
  }, 120_000);

  it("a post saved by this release is processed by the previous release's worker", async () => {
    const { api } = await newWriter("Newer");
    const post = await api.posts.create({ title: "Saved by the new release", markdown: "Rendered by **the old worker**." });
    const ready = await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status === "ready" || p.status === "failed", 60_000);
    expect(ready).toMatchObject({ status: "ready", processedVersion: post.version, html: "<p>Rendered by <strong>the old worker</strong>.</p>" });
    // No worker of this release runs in this file until the next test: the old one did it. (It logs the
    // job just after the row is ready, and the pipe delivers the line a moment later.)
    expect(await eventually(async () => previousWorker.output(), (output) => output.includes(post.id), 10_000)).toContain(post.id);
  }, 120_000);

  it("a job enqueued by the previous release is processed by this release's worker", async () => {
    expect(await previousWorker.stop({ graceMs: 30_000 })).toBe(0);
    const { api } = await newWriter("Older");
    const post = await api.posts.create({ title: "Queued by the old release", markdown: "Rendered by **the new worker**." });
    // Take this release's job back out, and let the previous release's producer enqueue the same version.
    const jobId = processPostJobId({ postId: post.id, version: post.version });
    await (await queue("posts").getJob(jobId))?.remove();
    const enqueue = inPrevious("previous release's producer", [
      "--input-type=module",
      "--eval",
      `const p = await import("./server/jobs/producer.ts");
       await p.enqueueProcessPost({ postId: ${JSON.stringify(post.id)}, version: ${post.version} });
       await p.closeProducer();`,
    ]);
    expect(await enqueue.exited, enqueue.output()).toBe(0);
    const job = await queue("posts").getJob(jobId);
    expect(job?.data).toMatchObject({ postId: post.id, version: post.version });

    currentWorker = createPostWorker({ sweepIntervalMs: 0 });
    const ready = await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status === "ready" || p.status === "failed", 60_000);
    expect(ready).toMatchObject({ status: "ready", processedVersion: post.version, html: "<p>Rendered by <strong>the new worker</strong>.</p>" });
  }, 120_000);
});
