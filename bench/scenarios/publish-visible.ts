import { randomUUID } from "node:crypto";

import { Redis } from "ioredis";

import { startWorkerProcess } from "../lib/app";
import { phaseMs, type BenchContext } from "../lib/context";
import { mapLimit } from "../lib/http";
import { makeCorpus } from "../lib/markdown";
import { waitUntil } from "../lib/processes";
import { makeRow, type Row, type ScenarioResult } from "../lib/results";
import { formatSummary, nowMs, sleep, summarize, type Summary } from "../lib/stats";

// 4. Publish to visible: from calling publishPost (what the posts.publish mutation runs) until the
// `ready`+`published` status event reaches a subscriber of postStatusEvents (the feed behind the SSE
// subscription). Two cases, each open-loop at a fixed rate (1/s and 50/s), each publish on its own post:
// - a processed draft (the writer stopped typing a while ago): published at once from the stored
//   rendering, in the request;
// - a just-edited draft (saved, untimed, right before the publish): the real worker process
//   (tsx worker/index.ts) renders the new version and publishes it when done.
// Baseline: a bare Redis PUBLISH → message round trip on the same Redis at the same rate, with a payload
// of the same size, sent during the same seconds.

const POSTS = 100; // at 50/s each post is published again every 2 s (unpublished in between, untimed)
const POST_BYTES = 5_000;
const SAMPLE_TIMEOUT_MS = 15_000;

interface RateRun {
  latencies: number[];
  sent: number;
  lost: number;
  skipped: number;
}

/** Fires `fire(k)` at `rate` per second for `durationMs` (absolute schedule), then waits for all to settle. */
async function openLoop(rate: number, durationMs: number, fire: (k: number) => Promise<void>): Promise<void> {
  const period = 1000 / rate;
  const start = nowMs();
  const inFlight: Promise<void>[] = [];
  for (let k = 0; k * period < durationMs; k++) {
    const due = start + k * period;
    const wait = due - nowMs();
    if (wait > 0) await sleep(wait);
    inFlight.push(fire(k));
  }
  await Promise.all(inFlight);
}

async function redisRoundTrip(ctx: BenchContext, rate: number, durationMs: number, payloadBytes: number, startDelayMs: number): Promise<RateRun> {
  const pub = new Redis(ctx.redisUrl);
  const sub = new Redis(ctx.redisUrl);
  const channel = `${ctx.queuePrefix}:bench-ping`;
  const pending = new Map<number, { t0: number; done: () => void }>();
  const run: RateRun = { latencies: [], sent: 0, lost: 0, skipped: 0 };
  try {
    sub.on("message", (_channel: string, message: string) => {
      const t1 = nowMs();
      const id = Number(message.slice(0, message.indexOf(":")));
      const p = pending.get(id);
      if (!p) return;
      pending.delete(id);
      run.latencies.push(t1 - p.t0);
      p.done();
    });
    await sub.subscribe(channel);
    const filler = "x".repeat(payloadBytes);
    await sleep(startDelayMs);
    await openLoop(rate, durationMs, (k) => {
      run.sent++;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(k);
          run.lost++;
          resolve();
        }, SAMPLE_TIMEOUT_MS);
        pending.set(k, {
          t0: nowMs(),
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void pub.publish(channel, `${k}:${filler}`);
      });
    });
  } finally {
    await sub.quit().catch(() => sub.disconnect());
    await pub.quit().catch(() => pub.disconnect());
  }
  return run;
}

export async function runPublishScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { createPost, updatePost } = await import("@/server/posts/write");
  const { getOwnPost } = await import("@/server/posts/own-reads");
  const { publishPost, unpublishPost } = await import("@/server/posts/publishing");
  const { postStatusEvents } = await import("@/server/jobs/status-feed");
  const notes: string[] = [];
  const worker = await startWorkerProcess(ctx, "worker-publish");
  const abort = new AbortController();
  let consume: Promise<void> = Promise.resolve();
  try {
    const authorId = randomUUID();
    const bodies = makeCorpus(POSTS, POST_BYTES, 5);
    const posts = await mapLimit(bodies, 8, (markdown, i) => createPost(authorId, { title: `Visible ${i}`, markdown }));
    await waitUntil(
      "the worker to process the setup posts",
      async () => (await Promise.all(posts.map((p) => getOwnPost(authorId, p.id)))).every((p) => p.status === "ready"),
      60_000,
      300,
    );

    // One subscriber, as one open page of this writer would have.
    const pending = new Map<string, { t0: number; done: () => void }>();
    const received: number[] = [];
    // Where the time goes: the publish call itself, and the `processing` event (the worker has begun).
    const callMs: number[] = [];
    const processingMs: number[] = [];
    consume = (async () => {
      try {
        for await (const event of postStatusEvents(authorId, abort.signal)) {
          const t1 = nowMs();
          const p = pending.get(event.postId);
          if (!p) continue;
          if (event.status === "processing") processingMs.push(t1 - p.t0);
          if (event.status !== "ready" || event.visibility !== "published") continue;
          pending.delete(event.postId);
          received.push(t1 - p.t0);
          p.done();
        }
      } catch (error) {
        if (!abort.signal.aborted) throw error;
      }
    })();
    await sleep(200); // the feed's SUBSCRIBE is sent on first use

    const busy = new Set<string>();
    const versions = new Map(posts.map((p) => [p.id, p.version]));
    type Draft = "processed" | "edited";
    const publishRun = async (draft: Draft, rate: number, durationMs: number): Promise<RateRun> => {
      received.length = 0;
      callMs.length = 0;
      processingMs.length = 0;
      const run: RateRun = { latencies: received, sent: 0, lost: 0, skipped: 0 };
      await openLoop(rate, durationMs, async (k) => {
        const post = posts[k % posts.length]!;
        if (busy.has(post.id)) {
          run.skipped++;
          return;
        }
        busy.add(post.id);
        run.sent++;
        try {
          if (draft === "edited") {
            const saved = await updatePost(authorId, { id: post.id, version: versions.get(post.id)!, markdown: `${bodies[k % posts.length]!}\n\nEdit ${rate}-${k}.` });
            versions.set(post.id, saved.version);
          }
          const visible = new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => {
              pending.delete(post.id);
              resolve(false);
            }, SAMPLE_TIMEOUT_MS);
            pending.set(post.id, {
              t0: nowMs(),
              done: () => {
                clearTimeout(timer);
                resolve(true);
              },
            });
          });
          const t0 = nowMs();
          await publishPost(authorId, { id: post.id });
          callMs.push(nowMs() - t0);
          if (!(await visible)) run.lost++;
          await unpublishPost(authorId, post.id); // back to a processed draft for its next turn (ready, as seen)
        } finally {
          busy.delete(post.id);
        }
      });
      ctx.log(
        `publish→visible, ${draft} draft at ${rate}/s, breakdown: publishPost call ${formatSummary(summarize(callMs))}` +
          (draft === "edited" ? `; to the worker's processing event ${formatSummary(summarize(processingMs))}` : ""),
      );
      return { ...run, latencies: [...received] };
    };

    // The baseline pings run at the same rate during the same seconds, half a period after each publish:
    // both sides see the same machine. Payload: the size of a status event.
    const eventSize = JSON.stringify({
      postId: posts[0]!.id,
      authorId,
      version: 1,
      status: "processing",
      visibility: "published",
      error: null,
      at: new Date().toISOString(),
    }).length;
    const slowMs = phaseMs(ctx, 15);
    const fastMs = phaseMs(ctx, 10);
    const rows: Row[] = [];
    for (const draft of ["processed", "edited"] as const) {
      for (const [rate, durationMs, pingDelayMs] of [[1, slowMs, 500], [50, fastMs, 10]] as const) {
        const [run, base] = await Promise.all([publishRun(draft, rate, durationMs), redisRoundTrip(ctx, rate, durationMs, eventSize, pingDelayMs)]);
        const s: Summary = summarize(run.latencies);
        const b: Summary = summarize(base.latencies);
        const label = `${draft} draft at ${rate}/s`;
        ctx.log(`publish→visible, ${label}: ${formatSummary(s)} (sent ${run.sent}, lost ${run.lost}, skipped ${run.skipped}); Redis PUBLISH→message: ${formatSummary(b)}`);
        if (run.lost > 0 || run.skipped > 0) notes.push(`Publish→visible, ${label}: ${run.lost} of ${run.sent} publishes not seen within ${SAMPLE_TIMEOUT_MS} ms, ${run.skipped} skipped (post still busy).`);
        rows.push(makeRow(`publish→visible p50, ${label} vs Redis PUBLISH→message (n=${s.n})`, s.p50, b.p50, "ms", "lower"));
        rows.push(makeRow(`publish→visible p99, ${label} vs Redis PUBLISH→message (n=${s.n})`, s.p99, b.p99, "ms", "lower"));
      }
    }
    return { rows, notes };
  } finally {
    abort.abort();
    await consume;
    await worker.stop();
  }
}
