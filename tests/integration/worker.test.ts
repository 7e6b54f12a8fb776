import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { env } from "@/server/env.js";
import { POSTS_QUEUE, PROCESS_POST_JOB, createRedis, type PostStatusEvent } from "@/server/jobs/contract";
import { postStatusEvents } from "@/server/jobs/status-feed";
import { createPostWorker, type PostWorker } from "@/worker/post-worker";
import { processPost } from "@/server/posts/process-post";
import { anonymous, closeConnections, eventually, newWriter } from "./helpers";

// The renderer is real, except that a marker makes it throw: the only way to drive the failure path
// on demand. The database and the queue are real.
vi.mock("@/server/render/inline", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/server/render/inline")>();
  return {
    ...real,
    renderForJob: (markdown: string) => {
      if (markdown.includes("RENDER_FAILS")) return Promise.reject(new Error("renderer exploded"));
      return real.renderForJob(markdown);
    },
  };
});

let worker: PostWorker;
const redis = createRedis(env.REDIS_URL, "worker");
const queue = new Queue(POSTS_QUEUE, { connection: redis, prefix: env.QUEUE_PREFIX });

beforeAll(async () => {
  worker = createPostWorker({ concurrency: 2, sweepIntervalMs: 0 });
  await worker.worker.waitUntilReady();
});

afterAll(async () => {
  await worker.close();
  await queue.close();
  await redis.quit();
  await closeConnections();
});

describe("the worker processing process-post", () => {
  it("renders the post, stores html, excerpt, counts and marks it ready", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create({ title: "Rendered", markdown: "# Heading\n\nHello **world**, from the worker." });
    const ready = await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status === "ready");
    expect(ready).toMatchObject({ processedVersion: 1, error: null, wordCount: 6, readingTimeMinutes: 1 });
    expect(ready.html).toContain("<strong>world</strong>");
    expect(ready.excerpt).toBe("Heading Hello world, from the worker.");
  });

  it("announces queued, processing and ready in order to the author's subscription", async () => {
    const { api, session } = await newWriter();
    const controller = new AbortController();
    const seen: PostStatusEvent["status"][] = [];
    const listening = (async () => {
      for await (const event of postStatusEvents(session.user.id, controller.signal)) {
        seen.push(event.status);
        if (event.status === "ready") controller.abort();
      }
    })().catch((err: unknown) => {
      if ((err as Error).name !== "AbortError") throw err;
    });
    // Let the shared subscriber connect before the first event is published.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await api.posts.create({ title: "Watched", markdown: "Words." });
    await listening;
    expect(seen).toEqual(["queued", "processing", "ready"]);
  });

  it("says what readers gained or lost: a post added on publishing, removed on unpublishing and on deleting a published post, not a draft", async () => {
    const { api, session } = await newWriter();
    const controller = new AbortController();
    const seen: string[] = [];
    const listening = (async () => {
      for await (const event of postStatusEvents(session.user.id, controller.signal)) {
        if (event.status !== "processing") seen.push(`${event.visibility}${event.readers ? ` ${event.readers}` : ""}`);
        if (seen.length === 8) controller.abort();
      }
    })().catch((err: unknown) => {
      if ((err as Error).name !== "AbortError") throw err;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const post = await api.posts.create({ title: "Short-lived", markdown: "Here today." });
    await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status === "ready");
    await api.posts.publish({ id: post.id });
    await api.posts.unpublish({ id: post.id });
    await api.posts.publish({ id: post.id });
    const draft = await api.posts.create({ title: "Never public", markdown: "Gone quietly." });
    await eventually(() => api.posts.byId({ id: draft.id }), (p) => p.status === "ready");
    await api.posts.delete({ id: draft.id }); // no event: readers never saw it
    await api.posts.delete({ id: post.id });
    await listening;
    // Saved and rendered (twice), published, unpublished, published, and the published one deleted.
    expect(seen).toEqual(["draft", "draft", "published added", "draft removed", "published added", "draft", "draft", "draft removed"]);
  });

  it("publishes the processed version and keeps readers on it while an update is processed", async () => {
    const { api, profile } = await newWriter();
    const post = await api.posts.create({ title: "Versions", markdown: "First text." });
    await api.posts.publish({ id: post.id });
    const read = () => anonymous().posts.bySlug({ username: profile.username, slug: post.slug }).catch(() => null);
    const v1 = await eventually(read, (p) => p !== null);
    expect(v1?.html).toContain("First text.");
    expect(v1?.author.displayName).toBe(profile.displayName);

    // Hold the worker (after the jobs in hand finish) so the in-between state can be observed.
    await worker.worker.pause();
    let edited;
    try {
      edited = await api.posts.update({ id: post.id, version: 1, markdown: "Second text." });
      // Update: this version goes live once the worker has rendered it, not before.
      expect(await api.posts.publish({ id: post.id, version: edited.version })).toMatchObject({ goingLiveVersion: edited.version, publishedVersion: 1 });
      expect((await read())?.html).toContain("First text.");
    } finally {
      worker.worker.resume();
    }

    await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status === "ready" && p.processedVersion === edited.version);
    expect((await read())?.html).toContain("Second text.");
    expect((await anonymous().posts.latest({})).map((p) => p.id)).toContain(post.id);
  });

  it("does nothing for a job whose version is no longer current", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create({ title: "Stale", markdown: "v1" });
    await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status === "ready");
    const v2 = await api.posts.update({ id: post.id, version: 1, markdown: "v2" });
    await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status === "ready" && p.processedVersion === 2);
    expect(await processPost({ postId: post.id, version: 1 })).toBe("skipped");
    expect(await api.posts.byId({ id: post.id })).toMatchObject({ version: v2.version, processedVersion: 2, markdown: "v2" });
  });

  it("ends without retry when the post was deleted", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create({ title: "Gone", markdown: "bye" });
    await api.posts.delete({ id: post.id });
    expect(await processPost({ postId: post.id, version: 1 })).toBe("skipped");
  });

  it("retries a failing render and stores the reason as failed after the last attempt", async () => {
    const { api } = await newWriter();
    await worker.worker.pause();
    let post;
    try {
      post = await api.posts.create({ title: "Broken", markdown: "RENDER_FAILS" });
      // Replace the enqueued job with one that retries quickly, so the test needs no long backoff.
      await queue.remove(`post-${post.id}-v1`);
      await queue.add(PROCESS_POST_JOB, { postId: post.id, version: 1 }, { jobId: `fast-${post.id}`, attempts: 2, backoff: { type: "fixed", delay: 50 } });
    } finally {
      worker.worker.resume();
    }
    const failed = await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status === "failed");
    expect(failed.error).toBe("renderer exploded");
    // BullMQ files the job as failed just after the processor recorded the reason.
    const job = await eventually(() => queue.getJob(`fast-${post.id}`), (j) => Boolean(j?.finishedOn));
    expect(job?.failedReason).toBe("renderer exploded");
    expect(job?.attemptsMade).toBe(2);
    expect(await job?.isFailed()).toBe(true);

    // The writer fixes the text: the new version is processed normally.
    const fixed = await api.posts.update({ id: post.id, version: 1, markdown: "Works now." });
    const ready = await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status === "ready");
    expect(ready).toMatchObject({ version: fixed.version, error: null });
  });

  it("fails a post too complex to render at the first attempt, with the reason for the writer", async () => {
    const { api } = await newWriter();
    const post = await api.posts.create({ title: "Too deep", markdown: `${">".repeat(3_000)} a` });
    const failed = await eventually(() => api.posts.byId({ id: post.id }), (p) => p.status === "failed", 30_000);
    expect(failed.error).toMatch(/^This post is too complex to render: /);
    const job = await eventually(() => queue.getJob(`post-${post.id}-v1`), (j) => Boolean(j?.finishedOn));
    expect(job?.attemptsMade).toBe(1); // not retried: the same text fails the same way every time
    expect(await job?.isFailed()).toBe(true);
  }, 60_000);

});
