import { readdirSync, statSync } from "node:fs";
import path from "node:path";

import autocannon from "autocannon";

import type { BenchContext } from "../lib/context";
import { formatSummary, round, summarize, type Summary } from "../lib/stats";

// 5. Public post page: GET /@{username}/{slug} (server-rendered from the published row) against a file the
// same server serves statically. public/ holds no file yet, so the baseline falls back to GET /api/health
// (a route handler that pings Postgres and Redis), clearly labelled as such. autocannon, 10 connections.

const STATIC_CANDIDATES = ["/favicon.ico", "/robots.txt"];
export const PAGE_CONNECTIONS = 10;

export interface PageRun {
  path: string;
  latency: Summary;
  perSecond: number;
  non2xx: number;
  errors: number;
}

/** autocannon against one path; latencies collected per response (exact percentiles), 2xx only. */
export async function hammer(ctx: BenchContext, baseUrl: string, path: string, durationMs: number): Promise<PageRun> {
  const latencies: number[] = [];
  const maxRequests = 100 * durationMs; // a bound (100 000 per second), never reached here
  let instance: autocannon.Instance | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      { url: `${baseUrl}${path}`, connections: PAGE_CONNECTIONS, duration: durationMs / 1000, timeout: 30 },
      (error, res) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(res)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      if (latencies.length >= maxRequests) instance?.stop();
    });
  });
  const latency = summarize(latencies);
  const run: PageRun = { path, latency, perSecond: latencies.length / result.duration, non2xx: result.non2xx, errors: result.errors };
  ctx.log(`GET ${path}: ${formatSummary(latency)}, ${round(run.perSecond)} req/s (non-2xx ${run.non2xx}, errors ${run.errors})`);
  return run;
}

/** A file of public/ (or /favicon.ico) that the server answers 200 for, or null. */
export async function findStaticFile(appDir: string, baseUrl: string): Promise<string | null> {
  let files: string[] = [];
  try {
    const dir = path.join(appDir, "public");
    files = readdirSync(dir).filter((f) => statSync(path.join(dir, f)).isFile()).map((f) => `/${encodeURIComponent(f)}`);
  } catch {
    // no public/ folder
  }
  for (const candidate of [...files, ...STATIC_CANDIDATES]) {
    const res = await fetch(`${baseUrl}${candidate}`, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
    await res?.arrayBuffer();
    if (res?.status === 200) return candidate;
  }
  return null;
}
