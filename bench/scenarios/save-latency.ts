import type { BenchContext } from "../lib/context";
import { mapLimit, trpcMutation, type Writer } from "../lib/http";
import { runLoad, type LoadResult } from "../lib/load";
import { makeMarkdown } from "../lib/markdown";
import { formatSummary, round, summarize, type Summary } from "../lib/stats";

// 1. Save latency: posts.update over HTTP against `next start`, N concurrent writers, each saving its own
// 20 KB post with the version the previous save returned (a stale one would be a 409 CONFLICT), each save
// alternating between two texts so every save is a real change. Compared, by run-time interleaving in
// http.ts, with inline processing: each save followed by rendering its version (processPost, what the
// worker runs) before the writer's next save, with the worker paused.

export const SAVE_POST_BYTES = 20_000;

/** A writer's post and the version its next save must carry. */
export interface SavedPost {
  writer: Writer;
  id: string;
  version: number;
  texts: [string, string];
  turn: number;
  conflicts: number;
}

export interface SaveRun {
  concurrency: number;
  latency: Summary;
  perSecond: number;
  load: LoadResult;
  conflicts: number;
}

/** Creates one 20 KB post per writer through posts.create. */
export async function createWriterPosts(baseUrl: string, writers: readonly Writer[]): Promise<SavedPost[]> {
  return mapLimit(writers, 4, async (writer) => {
    const texts: [string, string] = [makeMarkdown(SAVE_POST_BYTES, 1_000 + writer.index * 2), makeMarkdown(SAVE_POST_BYTES, 1_001 + writer.index * 2)];
    const created = await trpcMutation<{ id: string; version: number }>(
      baseUrl,
      "posts.create",
      { title: `Save latency ${writer.index}`, markdown: texts[0] },
      { cookie: writer.cookie },
    );
    return { writer, id: created.id, version: created.version, texts, turn: 1, conflicts: 0 };
  });
}

interface UpdateEnvelope {
  result?: { data?: { json?: { version?: number } } };
  error?: { json?: { message?: string } };
}

/** Runs `concurrency` writers (posts[0..concurrency-1]) against baseUrl for durationMs. */
export async function runSaves(
  ctx: BenchContext,
  label: string,
  baseUrl: string,
  posts: SavedPost[],
  concurrency: number,
  durationMs: number,
  options: { renderInline?: boolean } = {},
): Promise<SaveRun> {
  const { processPost } = await import("@/server/posts/process-post");
  if (posts.length < concurrency) throw new Error(`need ${concurrency} posts, have ${posts.length}`);
  const conflictsBefore = posts.reduce((s, p) => s + p.conflicts, 0);
  const load = await runLoad({
    baseUrl,
    concurrency,
    durationMs,
    maxRequests: 200 * durationMs, // 200 000 per second of phase: a bound, never reached
    next: (loop) => {
      const post = posts[loop]!;
      return {
        method: "POST",
        path: "/api/trpc/posts.update",
        headers: { "content-type": "application/json", origin: baseUrl, cookie: post.writer.cookie },
        body: JSON.stringify({ json: { id: post.id, version: post.version, markdown: post.texts[post.turn % 2] } }),
      };
    },
    // Inline processing: the writer waits for the rendering too, as when the save request rendered.
    afterResponse: options.renderInline
      ? async (loop) => {
          const post = posts[loop]!;
          await processPost({ postId: post.id, version: post.version });
        }
      : undefined,
    onResponse: (loop, status, body) => {
      const post = posts[loop]!;
      let parsed: UpdateEnvelope;
      try {
        parsed = JSON.parse(body) as UpdateEnvelope;
      } catch {
        return false;
      }
      const version = parsed.result?.data?.json?.version;
      if (status === 200 && typeof version === "number") {
        post.version = version;
        post.turn++;
        return true;
      }
      // A 409 names the current version: resynchronise so the writer's next save is valid again.
      const now = /now version (\d+)/.exec(parsed.error?.json?.message ?? "");
      if (status === 409 && now) {
        post.version = Number(now[1]);
        post.conflicts++;
      }
      return false;
    },
  });
  const conflicts = posts.reduce((s, p) => s + p.conflicts, 0) - conflictsBefore;
  const latency = summarize(load.latenciesMs);
  ctx.log(
    `save ${label} c=${concurrency}: ${formatSummary(latency)}, ${round(load.perSecond)} saves/s ` +
      `(ok ${load.ok}, failed ${load.failed}, errors ${load.errors}, 409s ${conflicts}, statuses ${JSON.stringify(load.statuses)})`,
  );
  ctx.log(`save ${label} c=${concurrency}: ${describeTail(load)}`);
  return { concurrency, latency, perSecond: load.perSecond, load, conflicts };
}

/** When the slowest 2% of a phase's requests were sent: bunched at its start, or spread over it. */
function describeTail(load: LoadResult): string {
  const order = load.latenciesMs.map((ms, i) => ({ ms, at: load.sentAtMs[i] ?? 0 })).sort((a, b) => b.ms - a.ms);
  const tail = order.slice(0, Math.max(1, Math.ceil(order.length * 0.02)));
  const seconds = tail.map((r) => (r.at / 1000).toFixed(1)).sort((a, b) => Number(a) - Number(b));
  return `slowest ${tail.length} (≥ ${round(tail.at(-1)?.ms ?? 0)} ms) sent at s ${seconds.join(", ")} of ${(load.elapsedMs / 1000).toFixed(1)}`;
}

/** One run out of several slices of the same kind: all latencies, total saves over total time. */
export function mergeSaveRuns(runs: readonly SaveRun[]): SaveRun {
  const latencies = runs.flatMap((r) => r.load.latenciesMs);
  const ok = runs.reduce((n, r) => n + r.load.ok, 0);
  const elapsedMs = runs.reduce((n, r) => n + r.load.elapsedMs, 0);
  const statuses: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.load.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const load: LoadResult = {
    latenciesMs: latencies,
    sentAtMs: runs.flatMap((r) => r.load.sentAtMs), // offsets within each slice
    ok,
    failed: runs.reduce((n, r) => n + r.load.failed, 0),
    errors: runs.reduce((n, r) => n + r.load.errors, 0),
    statuses,
    elapsedMs,
    perSecond: ok / (elapsedMs / 1000),
  };
  return {
    concurrency: runs[0]?.concurrency ?? 0,
    latency: summarize(latencies),
    perSecond: load.perSecond,
    load,
    conflicts: runs.reduce((n, r) => n + r.conflicts, 0),
  };
}
