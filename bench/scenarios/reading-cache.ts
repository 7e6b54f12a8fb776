import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import autocannon from "autocannon";
import { Redis } from "ioredis";

import { prepareGateway } from "../../scripts/gateway";
import { freePort } from "../../scripts/services";
import { startWorkerProcess, webNodeArgs } from "../lib/app";
import { appEnv, benchOutboxDir, phaseMs, type BenchContext } from "../lib/context";
import { mapLimit, signUpAndIn, trpcMutation, type Writer } from "../lib/http";
import { startChild, waitUntil, type Child } from "../lib/processes";
import { makeRow, type Row, type ScenarioResult } from "../lib/results";
import { round, sleep, summarize } from "../lib/stats";
import { hammer, PAGE_CONNECTIONS } from "./public-page";

// Reading at scale (README "Reading at scale"): the production web server with its origin cache (the
// standalone server and its preload, as `npm start` and the images run it), a worker, and the nginx
// gateway in front (gateway/nginx.conf.template). Rows:
// - the post page from the origin, warm, against a static file of the same server;
// - the post page through the gateway's cache, against a static file the same gateway caches;
// - publish → the first reader through the gateway sees the new version, 50 publishes/s, against the 1 s target;
// - origin requests while 100 readers make 10,000 requests for a post just published, through the gateway.

const PUBLISH_RATE = 50;
const READERS = 100;
const READER_REQUESTS = 10_000;

async function startStandaloneWeb(ctx: BenchContext, port: number, extraEnv: Record<string, string>): Promise<{ baseUrl: string; child: Child }> {
  const dir = path.join(ctx.appDir, ".next", "standalone");
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = startChild("web-standalone", process.execPath, [...webNodeArgs(port), "--import", "./check-env.mjs", "server.js"], {
    cwd: dir,
    logDir: ctx.logDir,
    env: appEnv(ctx, { PORT: String(port), HOSTNAME: "127.0.0.1", APP_URL: baseUrl, ...extraEnv }),
  });
  await waitUntil(
    `the standalone web server on ${baseUrl} (log: ${child.logFile})`,
    async () => {
      if (child.exited) throw new Error(`the web server exited; see ${child.logFile}`);
      const res = await fetch(`${baseUrl}/api/health?probe=web`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
      await res?.arrayBuffer();
      return res?.status === 200;
    },
    60_000,
    250,
  );
  return { baseUrl, child };
}

/**
 * The build's script file closest in size to `bytes`. Next marks them immutable, so the gateway keeps
 * them like a CDN would: the same cache serving about as many bytes as the page, so the ratio shows
 * what a page costs beyond its size.
 */
function staticChunkNear(ctx: BenchContext, bytes: number): { address: string; bytes: number } {
  const dir = path.join(ctx.appDir, ".next", "static", "chunks");
  const sized = readdirSync(dir)
    .filter((name) => name.endsWith(".js"))
    .map((name) => ({ address: `/_next/static/chunks/${name}`, bytes: statSync(path.join(dir, name)).size }))
    .sort((a, b) => Math.abs(a.bytes - bytes) - Math.abs(b.bytes - bytes));
  if (!sized[0]) throw new Error(`no script in ${dir}`);
  return sized[0];
}

/** How many requests for `address` the gateway sent on to a web server (its access log's upstream field). */
function originRequests(accessLog: string, address: string): number {
  return readFileSync(accessLog, "utf8")
    .split("\n")
    .filter((line) => line.includes(`"GET ${address} `) && !line.includes("upstream=-")).length;
}

async function publishDraft(baseUrl: string, writer: Writer, title: string): Promise<{ id: string; path: string; version: number }> {
  const created = await trpcMutation<{ id: string }>(baseUrl, "posts.create", { title, markdown: `${title}\n\nA short post.` }, { cookie: writer.cookie });
  const published = await trpcMutation<{ slug: string; version: number }>(baseUrl, "posts.publish", { id: created.id }, { cookie: writer.cookie });
  return { id: created.id, path: `/@${writer.username}/${published.slug}`, version: published.version };
}

async function firstSeen(url: string, text: string, startedAt: number, timeoutMs: number): Promise<number> {
  while (Date.now() - startedAt < timeoutMs) {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
    const body = res ? await res.text() : "";
    if (res?.status === 200 && body.includes(text)) return Date.now() - startedAt;
    await sleep(10);
  }
  return timeoutMs;
}

export async function runReadingCacheScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const started: Child[] = [];
  try {
    const [webPort, gatewayPort, purgePort] = [await freePort(), await freePort(), await freePort()];
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const purgeEnv = { CDN_PURGE_URLS: `http://127.0.0.1:${purgePort}` };
    started.push(await startWorkerProcess(ctx, "worker-reading", purgeEnv));
    const web = await startStandaloneWeb(ctx, webPort, purgeEnv);
    started.push(web.child);
    const gateway = prepareGateway({ listen: `127.0.0.1:${gatewayPort}`, purgeListen: `127.0.0.1:${purgePort}`, upstreams: [`127.0.0.1:${webPort}`] });
    const nginx = startChild("gateway", gateway.command, gateway.args, { cwd: gateway.dir, logDir: ctx.logDir, env: process.env });
    started.push(nginx);
    await waitUntil("the gateway", async () => (await fetch(`${gatewayUrl}/robots.txt`).catch(() => null))?.status === 200, 30_000, 200);

    const runId = ctx.queuePrefix.replace(/\W/g, "").slice(-8);
    const writer = await signUpAndIn(web.baseUrl, 0, runId, benchOutboxDir(ctx));
    const post = await publishDraft(web.baseUrl, writer, `Reading bench ${runId}`);
    await waitUntil("the post to be public", async () => (await fetch(`${web.baseUrl}${post.path}`)).status === 200, 60_000, 250);

    // 1. The origin, warm: a cache hit serves stored bytes; the baseline is a file of public/.
    const pageMs = phaseMs(ctx, 8);
    await hammer(ctx, web.baseUrl, post.path, 1_500);
    await hammer(ctx, web.baseUrl, "/favicon.svg", 1_500);
    const originPage = await hammer(ctx, web.baseUrl, post.path, pageMs);
    const originStatic = await hammer(ctx, web.baseUrl, "/favicon.svg", pageMs);
    rows.push(makeRow(`origin post page (cached) req/s vs static /favicon.svg, ${PAGE_CONNECTIONS} conns`, originPage.perSecond, originStatic.perSecond, "req/s", "higher"));
    rows.push(makeRow(`origin post page (cached) p99 vs static /favicon.svg, ${PAGE_CONNECTIONS} conns`, originPage.latency.p99, originStatic.latency.p99, "ms", "lower"));

    // 2. Through the gateway's cache, against a static file of about the page's size in the same cache.
    const pageBytes = (await (await fetch(`${gatewayUrl}${post.path}`)).arrayBuffer()).byteLength;
    const chunk = staticChunkNear(ctx, pageBytes);
    ctx.log(`gateway: the post page is ${pageBytes} bytes; the static script compared is ${chunk.address} (${chunk.bytes} bytes)`);
    await hammer(ctx, gatewayUrl, post.path, 1_500);
    await hammer(ctx, gatewayUrl, chunk.address, 1_500);
    const gatewayPage = await hammer(ctx, gatewayUrl, post.path, pageMs);
    const gatewayStatic = await hammer(ctx, gatewayUrl, chunk.address, pageMs);
    rows.push(makeRow(`gateway post page req/s vs a static script of about its size the gateway caches, ${PAGE_CONNECTIONS} conns`, gatewayPage.perSecond, gatewayStatic.perSecond, "req/s", "higher"));

    // 3. Publish → first reader through the gateway sees it: edits of posts whose pages the gateway holds.
    const count = ctx.quick ? 50 : 150;
    const posts = await mapLimit(Array.from({ length: count }, (_, i) => i), 4, (i) => publishDraft(web.baseUrl, writer, `Tide table ${runId} ${i}`));
    await waitUntil("every post public", async () => (await Promise.all(posts.map(async (p) => (await fetch(`${gatewayUrl}${p.path}`)).status))).every((s) => s === 200), 120_000, 500);
    for (const p of posts) await fetch(`${gatewayUrl}${p.path}`); // stored at the gateway
    // When each edit went live (its status event with `readers`), to split the time: the worker's part
    // before it, the purge and the gateway's refill after it.
    const wentLiveAt = new Map<string, number>();
    const events = new Redis(ctx.redisUrl, { enableReadyCheck: false });
    await events.subscribe(`${ctx.queuePrefix}:post-status`);
    events.on("message", (_channel: string, message: string) => {
      const event = JSON.parse(message) as { postId: string; readers?: string };
      if (event.readers && !wentLiveAt.has(event.postId)) wentLiveAt.set(event.postId, Date.now());
    });
    const delays: number[] = [];
    const edits: number[] = [];
    const untilPublished: number[] = [];
    const afterPublished: number[] = [];
    const afterLive: number[] = [];
    const lateStarts: number[] = [];
    const benchStartedAt = Date.now();
    await Promise.all(
      posts.map(async (p, i) => {
        const due = (i * 1000) / PUBLISH_RATE;
        await sleep(due - (Date.now() - benchStartedAt));
        wentLiveAt.delete(p.id);
        const editedAt = Date.now();
        lateStarts.push(editedAt - benchStartedAt - due);
        const title = `Revised tide ${runId} ${i}`;
        // An Update of a live post: the edit (the editor's autosave; untimed, as in the publish→visible
        // rows), then Publish, timed from here: the worker renders it, then purges.
        await trpcMutation(web.baseUrl, "posts.update", { id: p.id, version: p.version, title }, { cookie: writer.cookie });
        const startedAt = Date.now();
        edits.push(startedAt - editedAt);
        await trpcMutation(web.baseUrl, "posts.publish", { id: p.id }, { cookie: writer.cookie });
        untilPublished.push(Date.now() - startedAt);
        const delay = await firstSeen(`${gatewayUrl}${p.path}`, title, startedAt, 10_000);
        delays.push(delay);
        afterPublished.push(delay - untilPublished.at(-1)!);
        const live = wentLiveAt.get(p.id);
        if (live !== undefined) afterLive.push(startedAt + delay - live);
      }),
    );
    // Where the time went: the publish request, then the worker, the purge and the gateway's refill.
    events.disconnect();
    const [edited, published, after, late] = [summarize(edits), summarize(untilPublished), summarize(afterPublished), summarize(lateStarts)];
    const refill = summarize(afterLive);
    ctx.log(
      `publish→first reader: the untimed edits took p50 ${round(edited.p50)} ms, p99 ${round(edited.p99)} ms; publish requests answered p50 ${round(published.p50)} ms, ` +
        `p99 ${round(published.p99)} ms, then readers saw it p50 ${round(after.p50)} ms, p99 ${round(after.p99)} ms later, ` +
        `of which p50 ${round(refill.p50)} ms, p99 ${round(refill.p99)} ms after its went-live event (n=${refill.n}); edits started late by p50 ${round(late.p50)} ms, p99 ${round(late.p99)} ms (the bench's own event loop)`,
    );
    const seen = summarize(delays);
    rows.push(makeRow(`publish→first reader through the gateway p99, ${PUBLISH_RATE} publishes/s vs the 1 s target (n=${delays.length})`, seen.p99, 1_000, "ms", "lower"));
    rows.push(makeRow(`publish→first reader through the gateway p50, ${PUBLISH_RATE} publishes/s vs the 1 s target (n=${delays.length})`, seen.p50, 1_000, "ms", "lower"));

    // 4. A post just published, read 10,000 times by 100 readers at once through the gateway.
    const fresh = await publishDraft(web.baseUrl, writer, `Fresh ferry ${runId}`);
    await waitUntil("the fresh post to be public", async () => (await fetch(`${web.baseUrl}/api/v1/posts/${writer.username}/${fresh.path.split("/").pop()}`)).status === 200, 60_000, 100);
    const result = await autocannon({ url: `${gatewayUrl}${fresh.path}`, connections: READERS, amount: READER_REQUESTS, timeout: 30 });
    await sleep(500); // the access log is written as each request ends
    const origin = originRequests(gateway.accessLog, fresh.path);
    ctx.log(`gateway: ${result.requests.total} reader requests (non-2xx ${result.non2xx}), ${origin} reached the origin`);
    rows.push(makeRow(`origin requests for ${READER_REQUESTS} gateway reads of a fresh post, ${READERS} readers vs requests made`, origin, READER_REQUESTS, "requests", "lower"));
    if (result.non2xx + result.errors > 0) notes.push(`Reading through the gateway: ${result.non2xx} non-2xx answers and ${result.errors} errors.`);
    return { rows, notes };
  } finally {
    for (const child of started.reverse()) await child.stop();
  }
}
