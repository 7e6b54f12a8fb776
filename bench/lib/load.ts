import http from "node:http";

import { nowMs } from "./stats";

// A small closed-loop HTTP load generator: N loops, each sending its next request when the previous one
// has answered, over keep-alive connections. Bounded by time and by a total request count. Used where
// each loop must carry its own state (a writer's post and version); see public-page.ts for autocannon.

export interface LoadRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  baseUrl: string;
  concurrency: number;
  durationMs: number;
  /** Hard bound on requests sent, across all loops. */
  maxRequests: number;
  next: (loop: number) => LoadRequest;
  /** Called with each response; return false to count it as failed (its latency is then not recorded). */
  onResponse?: (loop: number, status: number, body: string) => boolean;
  /** Work the loop waits for after each good answer, counted in its latency (e.g. rendering the saved version in line). */
  afterResponse?: (loop: number) => Promise<void>;
  timeoutMs?: number;
}

export interface LoadResult {
  /** Latencies of successful requests, ms. */
  latenciesMs: number[];
  /** When each of those requests was sent, ms after the phase began (same order as latenciesMs). */
  sentAtMs: number[];
  ok: number;
  failed: number;
  /** Connection errors and timeouts. */
  errors: number;
  statuses: Record<string, number>;
  elapsedMs: number;
  /** Successful requests per second over the whole phase. */
  perSecond: number;
}

function send(agent: http.Agent, base: URL, req: LoadRequest, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers["content-length"] = Buffer.byteLength(req.body);
    const r = http.request(
      { agent, host: base.hostname, port: base.port, method: req.method, path: req.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    r.setTimeout(timeoutMs, () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on("error", reject);
    r.end(req.body);
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const base = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const result: LoadResult = { latenciesMs: [], sentAtMs: [], ok: 0, failed: 0, errors: 0, statuses: {}, elapsedMs: 0, perSecond: 0 };
  let sent = 0;
  const start = nowMs();
  const deadline = start + options.durationMs;
  const loop = async (index: number) => {
    while (nowMs() < deadline && sent < options.maxRequests) {
      sent++;
      const request = options.next(index);
      const t0 = nowMs();
      try {
        const { status, body } = await send(agent, base, request, options.timeoutMs ?? 30_000);
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
        const is2xx = status >= 200 && status < 300;
        const accepted = options.onResponse?.(index, status, body) ?? true;
        if (is2xx && !accepted) result.statuses[`${status}-rejected`] = (result.statuses[`${status}-rejected`] ?? 0) + 1;
        const good = is2xx && accepted;
        if (good) await options.afterResponse?.(index);
        const ms = nowMs() - t0;
        if (good) {
          result.ok++;
          result.latenciesMs.push(ms);
          result.sentAtMs.push(t0 - start);
        } else result.failed++;
      } catch {
        result.errors++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, (_, i) => loop(i)));
  } finally {
    agent.destroy();
  }
  result.elapsedMs = nowMs() - start;
  result.perSecond = result.ok / (result.elapsedMs / 1000);
  return result;
}
