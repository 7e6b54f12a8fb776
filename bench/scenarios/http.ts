import { freePort } from "../../scripts/services";
import { startWeb, startWorkerProcess, type WebServer } from "../lib/app";
import { benchOutboxDir, phaseMs, type BenchContext } from "../lib/context";
import { mapLimit, signUpAndIn, trpcMutation } from "../lib/http";
import { waitUntil, type Child } from "../lib/processes";
import { makeRow, type Row, type ScenarioResult } from "../lib/results";
import { sleep } from "../lib/stats";
import { findStaticFile, hammer, PAGE_CONNECTIONS } from "./public-page";
import { createWriterPosts, mergeSaveRuns, runSaves, type SaveRun, type SavedPost } from "./save-latency";

// The scenarios over HTTP, on a production server (`next start`; saves enqueue, a worker process renders).
// Save phases alternate between async (as production runs) and inline processing (each save followed by
// rendering its version in this process, with the worker's queue paused), so drift on this shared machine
// hits both alike. Then 5. the public post page.

const CONCURRENCIES = [10, 50] as const;

async function queueIdle(): Promise<boolean> {
  const { queueDepths } = await import("@/server/jobs/queues");
  const d = await queueDepths();
  return d.waiting + d.active + d.delayed === 0;
}

export async function runHttpScenarios(ctx: BenchContext): Promise<ScenarioResult> {
  const notes: string[] = [];
  const rows: Row[] = [];
  if (ctx.appDir !== ctx.root) notes.push("The web server ran from a separate build of the working tree (--private-build or BENCH_APP_DIR), not from the repository's .next.");
  const started: Array<WebServer | Child> = [];
  try {
    const worker = await startWorkerProcess(ctx, "worker-http");
    started.push(worker);
    const web = await startWeb(ctx, await freePort());
    started.push(web);
    const { queue } = await import("@/server/jobs/queues");
    /** Inline slices: the worker takes no job, the bench renders each saved version itself. */
    const runInline = async (label: string, concurrency: number, durationMs: number) => {
      await queue("posts").pause();
      try {
        return await runSaves(ctx, label, web.baseUrl, posts, concurrency, durationMs, { renderInline: true });
      } finally {
        await queue("posts").resume();
      }
    };

    // Writers: one account each, signed in through next-auth; one 20 KB post each.
    const runId = ctx.queuePrefix.replace(/\W/g, "").slice(-8);
    const maxWriters = Math.max(...CONCURRENCIES);
    const writers = await mapLimit(Array.from({ length: maxWriters }, (_, i) => i), 4, (i) => signUpAndIn(web.baseUrl, i, runId, benchOutboxDir(ctx)));
    const posts: SavedPost[] = await createWriterPosts(web.baseUrl, writers);
    await waitUntil("the worker to process the writers' first versions", queueIdle, 60_000, 250);
    ctx.log(`http: ${writers.length} writers signed in, ${posts.length} posts created`);

    // Warm-up of both servers (route compilation, JIT, connection pools); not recorded. Every writer
    // takes part, so no phase starts with writers whose connection, session and post are still cold.
    const warmMs = ctx.quick ? 1_500 : 3_000;
    const everyWriter = Math.max(...CONCURRENCIES);
    await runSaves(ctx, "warm-up async", web.baseUrl, posts, everyWriter, warmMs);
    await runInline("warm-up inline", everyWriter, warmMs);
    await waitUntil("the queue to drain", queueIdle, 60_000, 250);

    // Per concurrency: async, inline, inline, async (half the phase each), merged per side.
    const sliceMs = phaseMs(ctx, 10) / 2;
    const results = new Map<string, SaveRun>();
    for (const c of CONCURRENCIES) {
      const slices: Record<"async" | "inline", SaveRun[]> = { async: [], inline: [] };
      for (const side of ["async", "inline", "inline", "async"] as const) {
        slices[side].push(
          side === "async" ? await runSaves(ctx, "async (worker renders)", web.baseUrl, posts, c, sliceMs) : await runInline("inline (rendered before the answer)", c, sliceMs),
        );
        // The worker's backlog from an async slice must not run into the next slice.
        await waitUntil("the queue to drain", queueIdle, 90_000, 100);
        await sleep(300);
      }
      results.set(`async-${c}`, mergeSaveRuns(slices.async));
      results.set(`inline-${c}`, mergeSaveRuns(slices.inline));
    }
    for (const c of CONCURRENCIES) {
      const a = results.get(`async-${c}`)!;
      const b = results.get(`inline-${c}`)!;
      for (const run of [a, b]) {
        const bad = run.load.failed + run.load.errors;
        if (bad > 0) notes.push(`Save load at ${c} writers: ${bad} failed requests (${run.conflicts} of them 409 CONFLICT; statuses ${JSON.stringify(run.load.statuses)}).`);
      }
      ctx.log(`save c=${c} merged: async p50 ${a.latency.p50.toFixed(1)} ms p99 ${a.latency.p99.toFixed(1)} ms ${a.perSecond.toFixed(1)}/s; inline p50 ${b.latency.p50.toFixed(1)} ms p99 ${b.latency.p99.toFixed(1)} ms ${b.perSecond.toFixed(1)}/s`);
      const p99Ratio = b.latency.p99 / a.latency.p99;
      notes.push(`Save p99 at ${c} writers is ${p99Ratio.toFixed(2)}x lower with the worker than inline: the issue's target (at least 5x) is ${p99Ratio >= 5 ? "met" : "not met"}.`);
      rows.push(makeRow(`save p50, ${c} writers: async vs inline processing`, a.latency.p50, b.latency.p50, "ms", "lower"));
      rows.push(makeRow(`save p99, ${c} writers: async vs inline processing`, a.latency.p99, b.latency.p99, "ms", "lower"));
      rows.push(makeRow(`save throughput, ${c} writers: async vs inline processing`, a.perSecond, b.perSecond, "req/s", "higher"));
    }

    // 5. The public post page of a published post.
    await waitUntil("the queue to drain", queueIdle, 90_000, 250);
    const owner = posts[0]!;
    const published = await trpcMutation<{ slug: string }>(web.baseUrl, "posts.publish", { id: owner.id }, { cookie: owner.writer.cookie });
    const pagePath = `/@${owner.writer.username}/${published.slug}`;
    let pageStatus = 0;
    await waitUntil(
      `${pagePath} to be visible`,
      async () => {
        const res = await fetch(`${web.baseUrl}${pagePath}`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        pageStatus = res.status;
        return res.status === 200;
      },
      30_000,
      500,
    ).catch(() => {});
    if (pageStatus !== 200) {
      notes.push(`Public post page: GET ${pagePath} answered ${pageStatus}, not 200, so it was not measured.`);
    } else {
      const staticPath = await findStaticFile(ctx.appDir, web.baseUrl);
      const baselinePath = staticPath ?? "/api/health";
      if (!staticPath) {
        notes.push(
          "Public post page: public/ has no static file (nor /favicon.ico), so its baseline is GET /api/health " +
            "(a route handler that pings Postgres and Redis), not a static file. Adding e.g. public/favicon.ico makes the bench use it.",
        );
      }
      const pageMs = phaseMs(ctx, 8);
      await hammer(ctx, web.baseUrl, pagePath, 1_500); // warm-up
      await hammer(ctx, web.baseUrl, baselinePath, 1_500);
      const page = await hammer(ctx, web.baseUrl, pagePath, pageMs);
      const base = await hammer(ctx, web.baseUrl, baselinePath, pageMs);
      const baseLabel = staticPath ? `static ${staticPath}` : "/api/health (fallback, no static file)";
      rows.push(makeRow(`public post page req/s vs ${baseLabel}, ${PAGE_CONNECTIONS} conns`, page.perSecond, base.perSecond, "req/s", "higher"));
      rows.push(makeRow(`public post page p99 vs ${baseLabel}, ${PAGE_CONNECTIONS} conns`, page.latency.p99, base.latency.p99, "ms", "lower"));
      if (page.non2xx + page.errors > 0) notes.push(`Public post page: ${page.non2xx} non-2xx answers and ${page.errors} errors.`);
    }
    return { rows, notes };
  } finally {
    for (const s of started.reverse()) await ("child" in s ? s.child : s).stop();
  }
}
