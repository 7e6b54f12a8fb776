// `npm run soak [-- --writers 20 --seconds 60 --warmup 10]` (not part of `npm test`): N writers save
// their posts as fast as they can for M seconds against the production web server and worker (real
// processes, real Postgres and Redis on loopback), then the run waits for the queue to drain and
// reports what was saved, processed, lost and duplicated, save→processed latency, and the resident
// memory of both processes after warm-up and at the end. Exits 1 if anything was lost, or (runs of
// 10 minutes or more) if either process grew by more than 20% after warm-up.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";

import { Redis } from "ioredis";

import { BUILD_MARKERS, webArgs, workerArgs } from "./production";
import { createTestDatabase, deleteRedisPrefix, dropTestDatabase } from "./services";
import { TrpcError, WebClient } from "./web-client";

const { values } = parseArgs({
  options: { writers: { type: "string", default: "20" }, seconds: { type: "string", default: "60" }, warmup: { type: "string", default: "10" } },
});
const WRITERS = Number(values.writers);
const SECONDS = Number(values.seconds);
const WARMUP_SECONDS = Number(values.warmup);
const PORT = 3300 + Math.floor(Math.random() * 500);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PREFIX = `{inkwell-soak-${randomBytes(4).toString("hex")}}`;

// The worker writes the sign-up mails here (no SMTP); writers follow the links from it.
const OUTBOX_DIR = mkdtempSync(path.join(tmpdir(), "inkwell-soak-outbox-"));
const log = (line: string) => console.log(`[soak] ${line}`);

function rssMb(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Save {
  postId: string;
  version: number;
  savedAt: number;
}

async function main(): Promise<void> {
  if (!BUILD_MARKERS.every((file) => existsSync(file))) throw new Error("no production build: run `npm run build` first");
  const databaseUrl = await createTestDatabase();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: PREFIX,
    AUTH_SECRET: "inkwell-soak-secret-not-for-production-0123456789",
    APP_URL: BASE_URL,
    PORT: String(PORT),
    HOSTNAME: "127.0.0.1",
    LOG_LEVEL: "warn",
    MAIL_OUTBOX_DIR: OUTBOX_DIR,
    // Many writers from one machine, each with an X-Forwarded-For of its own as if behind a proxy.
    TRUSTED_PROXIES: "1",
  };
  delete env.SMTP_URL;
  const children: ChildProcess[] = [];
  const subscriber = new Redis(REDIS_URL, { maxRetriesPerRequest: null, enableReadyCheck: false });
  try {
    const web = spawn(process.execPath, webArgs(), { env, stdio: ["ignore", "ignore", "inherit"] });
    const worker = spawn(process.execPath, workerArgs(), { env, stdio: ["ignore", "ignore", "inherit"] });
    children.push(web, worker);
    await waitFor(async () => (await fetch(`${BASE_URL}/api/health`)).ok, 60_000, "the web server and the worker");

    // Every `ready` the worker announces, per post version: processed once each, or duplicated.
    const readyAt = new Map<string, number[]>();
    await subscriber.subscribe(`${PREFIX}:post-status`);
    subscriber.on("message", (_channel: string, message: string) => {
      const event = JSON.parse(message) as { postId: string; version: number; status: string };
      if (event.status !== "ready") return;
      const key = `${event.postId}:${event.version}`;
      readyAt.set(key, [...(readyAt.get(key) ?? []), Date.now()]);
    });

    log(`${WRITERS} writers, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s, against ${BASE_URL}`);
    const clients = await Promise.all(
      Array.from({ length: WRITERS }, async (_, i) => {
        // Each writer comes from an address of its own, as the per-address sign-up limit expects.
        const client = new WebClient({ "x-forwarded-for": `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}` });
        const username = `soak_${randomBytes(5).toString("hex")}`;
        const email = `${username}@example.test`;
        const password = "correct horse battery staple";
        // Registered, then signed in by following the link the worker mailed to the outbox.
        await client.signUp(BASE_URL, { email, username, displayName: `Soak ${i}`, password }, OUTBOX_DIR);
        const post = await client.mutation<{ id: string; version: number }>(BASE_URL, "posts.create", { title: `Soak ${i}`, markdown: "start" });
        return { client, post };
      }),
    );

    const saves: Save[] = [];
    let saveErrors = 0;
    let rssAfterWarmup = { web: Number.NaN, worker: Number.NaN };
    const start = Date.now();
    const warmupEnds = start + WARMUP_SECONDS * 1000;
    const ends = warmupEnds + SECONDS * 1000;
    const paragraph = "Soak text that changes every save, long enough to be worth rendering. ".repeat(40);
    setTimeout(() => (rssAfterWarmup = { web: rssMb(web.pid), worker: rssMb(worker.pid) }), WARMUP_SECONDS * 1000).unref();

    await Promise.all(
      clients.map(async ({ client, post }) => {
        let version = post.version;
        for (let n = 1; Date.now() < ends; n++) {
          try {
            const saved = await client.mutation<{ version: number }>(BASE_URL, "posts.update", { id: post.id, version, markdown: `## Save ${n}\n\n${paragraph}` });
            version = saved.version;
            if (Date.now() >= warmupEnds) saves.push({ postId: post.id, version, savedAt: Date.now() });
          } catch (error) {
            saveErrors += 1;
            if (!(error instanceof TrpcError)) throw error;
          }
        }
        (post as { finalVersion?: number }).finalVersion = version;
      }),
    );
    const rssEnd = { web: rssMb(web.pid), worker: rssMb(worker.pid) };

    // Drain: every post's last version must be processed; superseded versions may be skipped.
    const finals = clients.map(({ post }) => `${post.id}:${(post as { finalVersion?: number }).finalVersion ?? post.version}`);
    await waitFor(async () => finals.every((key) => readyAt.has(key)), 120_000, "the queue to drain").catch((error: unknown) => log(String(error)));

    const lost = finals.filter((key) => !readyAt.has(key)).length;
    const processed = saves.filter((s) => readyAt.has(`${s.postId}:${s.version}`));
    const duplicates = [...readyAt.values()].filter((times) => times.length > 1).length;
    const latencies = processed.map((s) => (readyAt.get(`${s.postId}:${s.version}`)?.[0] ?? s.savedAt) - s.savedAt).sort((a, b) => a - b);
    const growth = (before: number, after: number) => ((after - before) / before) * 100;

    const report = {
      writers: WRITERS,
      seconds: SECONDS,
      saved: saves.length,
      saveErrors,
      processed: processed.length,
      superseded: saves.length - processed.length,
      lost,
      duplicates,
      saveToProcessedMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
      rssMb: {
        web: { afterWarmup: rssAfterWarmup.web, end: rssEnd.web, growthPercent: growth(rssAfterWarmup.web, rssEnd.web) },
        worker: { afterWarmup: rssAfterWarmup.worker, end: rssEnd.worker, growthPercent: growth(rssAfterWarmup.worker, rssEnd.worker) },
      },
    };
    console.log(JSON.stringify(report, null, 2));
    const leaked = SECONDS >= 600 && (report.rssMb.web.growthPercent > 20 || report.rssMb.worker.growthPercent > 20);
    if (lost > 0 || leaked) process.exitCode = 1;
    log(lost > 0 ? `LOST ${lost} post versions` : leaked ? "memory grew by more than 20%" : "nothing lost");
  } finally {
    subscriber.disconnect();
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)))));
    await dropTestDatabase(databaseUrl).catch(() => {});
    await deleteRedisPrefix(REDIS_URL, PREFIX).catch(() => {});
    rmSync(OUTBOX_DIR, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
