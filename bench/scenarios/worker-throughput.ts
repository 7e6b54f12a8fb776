import { randomUUID } from "node:crypto";

import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";

import type { BenchContext } from "../lib/context";
import { mapLimit } from "../lib/http";
import { makeCorpus } from "../lib/markdown";
import { makeRow, type ScenarioResult } from "../lib/results";
import { nowMs, round } from "../lib/stats";

// 2. Worker throughput, in this process (one JavaScript thread, as one worker process has):
//  a) 18 KB posts processed per second by the real worker (createPostWorker: BullMQ job, render, database
//     write, status announcements) against renderMarkdown alone on the same posts;
//  b) 200-byte posts per second against BullMQ no-op jobs per second on the same Redis, with the same
//     concurrency: the queue's own ceiling.
// Jobs are all enqueued before the worker starts, so this is the rate at which a backlog drains.

interface DrainResult {
  completed: number;
  perSecond: number;
  ms: number;
}

/** Resolves when `target` jobs have completed (or after timeoutMs), timing from the first job taken. */
function drain(worker: Worker, target: number, timeoutMs: number, accept: (result: unknown) => boolean): Promise<DrainResult> {
  return new Promise((resolve) => {
    let first = 0;
    let completed = 0;
    let rejected = 0;
    const finish = () => {
      clearTimeout(timer);
      worker.off("active", onActive);
      worker.off("completed", onCompleted);
      const ms = nowMs() - (first || nowMs());
      resolve({ completed, perSecond: completed / (ms / 1000), ms });
    };
    const onActive = () => {
      if (first === 0) first = nowMs();
    };
    const onCompleted = (_job: unknown, result: unknown) => {
      if (accept(result)) completed++;
      else rejected++;
      if (completed + rejected >= target) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    worker.on("active", onActive);
    worker.on("completed", onCompleted);
  });
}

async function realWorkerRate(markdowns: string[], timeoutMs: number): Promise<DrainResult> {
  const { createPost } = await import("@/server/posts/write");
  const { createPostWorker } = await import("@/worker/post-worker");
  const authorId = randomUUID(); // posts reference their author by id only (no foreign key)
  // Creating a post enqueues its job; no worker is running yet, so they wait in the queue.
  await mapLimit(markdowns, 8, (markdown, i) => createPost(authorId, { title: `Throughput ${i}`, markdown }));
  const postWorker = createPostWorker({ sweepIntervalMs: 0, heartbeatIntervalMs: 60_000 });
  try {
    return await drain(postWorker.worker, markdowns.length, timeoutMs, (r) => r === "processed");
  } finally {
    await postWorker.close();
  }
}

async function noopRate(ctx: BenchContext, jobs: number, concurrency: number, timeoutMs: number): Promise<DrainResult> {
  const queueName = `bench-noop-${randomUUID().slice(0, 8)}`;
  const producer = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null });
  const consumer = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection: producer, prefix: ctx.queuePrefix });
  let worker: Worker | undefined;
  try {
    for (let i = 0; i < jobs; i += 500) {
      const batch = Array.from({ length: Math.min(500, jobs - i) }, () => ({
        name: "noop",
        data: { postId: randomUUID(), version: 1 },
        opts: { removeOnComplete: true, attempts: 5 },
      }));
      await queue.addBulk(batch);
    }
    worker = new Worker(queueName, async () => "done", { connection: consumer, prefix: ctx.queuePrefix, concurrency });
    return await drain(worker, jobs, timeoutMs, () => true);
  } finally {
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    await producer.quit().catch(() => producer.disconnect());
    await consumer.quit().catch(() => consumer.disconnect());
  }
}

/** Sums rounds: total jobs over total time. */
function total(rounds: readonly DrainResult[]): DrainResult {
  const completed = rounds.reduce((n, r) => n + r.completed, 0);
  const ms = rounds.reduce((n, r) => n + r.ms, 0);
  return { completed, ms, perSecond: completed / (ms / 1000) };
}

/** Renders every input once, timed; the same shape as a drain so rounds can be summed. */
function renderAll(render: (md: string) => unknown, inputs: readonly string[]): DrainResult {
  const t0 = nowMs();
  for (const md of inputs) render(md);
  const ms = nowMs() - t0;
  return { completed: inputs.length, ms, perSecond: inputs.length / (ms / 1000) };
}

// The two sides of each row are measured in alternating rounds (A, B, B, A, ...), so a burst of load from
// elsewhere on this shared machine hits both sides rather than one.
export async function runWorkerScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { renderMarkdown } = await import("@/server/render");
  const { env } = await import("@/server/env.js");
  const notes: string[] = [];
  const timeoutMs = 60_000;
  const rounds = ctx.quick ? 2 : 4;

  // a) 18 KB posts: the real worker against renderMarkdown alone, on the same posts.
  const bigPerRound = ctx.quick ? 40 : 75;
  const bare: DrainResult[] = [];
  const real: DrainResult[] = [];
  renderAll(renderMarkdown, makeCorpus(20, 18_000, 99)); // warm-up
  for (let r = 0; r < rounds; r++) {
    const posts = makeCorpus(bigPerRound, 18_000, 10 + r);
    if (r % 2 === 0) {
      bare.push(renderAll(renderMarkdown, posts));
      real.push(await realWorkerRate(posts, timeoutMs));
    } else {
      real.push(await realWorkerRate(posts, timeoutMs));
      bare.push(renderAll(renderMarkdown, posts));
    }
  }
  const bareBig = total(bare);
  const realBig = total(real);
  ctx.log(
    `worker 18 KB: ${realBig.completed}/${rounds * bigPerRound} processed in ${round(realBig.ms)} ms = ${round(realBig.perSecond)} posts/s; ` +
      `renderMarkdown alone ${round(bareBig.perSecond)} posts/s (${rounds} alternating rounds)`,
  );
  if (realBig.completed < rounds * bigPerRound) notes.push(`Worker 18 KB: only ${realBig.completed} of ${rounds * bigPerRound} posts finished in time.`);

  // b) 200-byte posts against BullMQ no-op jobs, same Redis, same concurrency.
  const smallPerRound = ctx.quick ? 300 : 500;
  const realSmallRounds: DrainResult[] = [];
  const noopRounds: DrainResult[] = [];
  for (let r = 0; r < rounds; r++) {
    const posts = makeCorpus(smallPerRound, 200, 20 + r);
    if (r % 2 === 0) {
      realSmallRounds.push(await realWorkerRate(posts, timeoutMs));
      noopRounds.push(await noopRate(ctx, smallPerRound, env.WORKER_CONCURRENCY, timeoutMs));
    } else {
      noopRounds.push(await noopRate(ctx, smallPerRound, env.WORKER_CONCURRENCY, timeoutMs));
      realSmallRounds.push(await realWorkerRate(posts, timeoutMs));
    }
  }
  const realSmall = total(realSmallRounds);
  const noop = total(noopRounds);
  ctx.log(
    `worker 200 B: ${realSmall.completed}/${rounds * smallPerRound} in ${round(realSmall.ms)} ms = ${round(realSmall.perSecond)} posts/s; ` +
      `BullMQ no-op ${noop.completed} in ${round(noop.ms)} ms = ${round(noop.perSecond)} jobs/s (concurrency ${env.WORKER_CONCURRENCY})`,
  );
  if (realSmall.completed < rounds * smallPerRound) notes.push(`Worker 200 B: only ${realSmall.completed} of ${rounds * smallPerRound} posts finished in time.`);

  return {
    rows: [
      makeRow("worker: 18 KB posts processed vs renderMarkdown alone (1 thread)", realBig.perSecond, bareBig.perSecond, "posts/s", "higher"),
      makeRow(`worker: 200 B posts processed vs BullMQ no-op jobs (concurrency ${env.WORKER_CONCURRENCY})`, realSmall.perSecond, noop.perSecond, "jobs/s", "higher"),
    ],
    notes,
  };
}
