// `npm run dev` / `npm start`: finds or starts PostgreSQL and Redis, migrates, then runs the web app
// and the worker side by side, supervised: a child that crashes is restarted with backoff while the
// other keeps serving (scripts/restart-policy.ts); only a crash loop, or a signal, stops everything.
//
//   tsx scripts/run.ts dev    next dev + tsx watch worker/index.ts
//   tsx scripts/run.ts start  the production build, exactly as the containers run it (building
//                             first if there is none): node .next/standalone/server.js and
//                             node .next/worker/dist/worker.mjs (see scripts/production.ts)
//
// With no configuration it uses an embedded PGlite database (.data/pglite), the local Redis or a
// redis-server it starts, and a generated development AUTH_SECRET, so a fresh clone runs with one
// command. With NODE_ENV=production it refuses those defaults.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

import nextEnv from "@next/env";
import { Redis } from "ioredis";

import { removeSupervisorReport, writeSupervisorReport, type SupervisorReport } from "../server/jobs/restarts";
import { applyMigrations } from "./migrate";
import { BUILD_MARKERS, NODE_FROM_BIN, webArgs, workerArgs } from "./production";
import { RestartPolicy } from "./restart-policy";
import { ChildGroup, REPO_ROOT, ensureAuthSecret, ensureDatabase, ensureRedis, redactUrl } from "./services";

// @next/env is a bundled CommonJS module whose named exports Node's ESM loader cannot see.
const { loadEnvConfig } = nextEnv;

type Mode = "dev" | "start";

const log = (message: string) => console.log(`[inkwell] ${message}`);
const fail = (message: string) => console.error(`[inkwell] ${message}`);

const mode = process.argv[2];
if (mode !== "dev" && mode !== "start") {
  fail("usage: tsx scripts/run.ts dev|start");
  process.exit(2);
}

/**
 * Keeps this supervisor's restart counts in Redis (server/jobs/restarts.ts), renewed while it runs, for
 * /api/health and /api/metrics. Best effort: a Redis outage must not stop the supervisor.
 */
class RestartRecorder {
  private readonly report: SupervisorReport = {
    id: `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    startedAt: new Date().toISOString(),
    restarts: {},
  };
  private redis: Redis | undefined;
  private prefix = "";
  private timer: NodeJS.Timeout | undefined;
  private warned = false;

  start(redisUrl: string, prefix: string): void {
    this.prefix = prefix;
    this.redis = new Redis(redisUrl, {
      connectionName: "inkwell-supervisor",
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
    });
    this.redis.on("error", () => {}); // failed writes are reported by publish()
    this.publish();
    this.timer = setInterval(() => this.publish(), 10_000);
    this.timer.unref();
  }

  record(name: string, exit: string): void {
    const count = (this.report.restarts[name]?.count ?? 0) + 1;
    this.report.restarts[name] = { count, lastAt: new Date().toISOString(), lastExit: exit };
    this.publish();
  }

  private publish(): void {
    if (!this.redis) return;
    writeSupervisorReport(this.redis, this.prefix, this.report).then(
      () => (this.warned = false),
      (error: unknown) => {
        if (!this.warned) fail(`could not record restarts in Redis (health and metrics will not show them): ${String(error)}`);
        this.warned = true;
      },
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const redis = this.redis;
    this.redis = undefined;
    if (!redis) return;
    await removeSupervisorReport(redis, this.prefix, this.report.id).catch(() => {});
    await redis.quit().catch(() => redis.disconnect());
  }
}

const stopServices: Array<() => Promise<void>> = [];
let shuttingDown = false;
const restarts = new RestartRecorder();

const children = new ChildGroup({
  detached: true,
  graceMs: 30_000, // longer than the worker's own 25 s shutdown limit
  log: fail,
  onRestart: (name, _restart, exit) => restarts.record(name, exit),
  // Only a crash loop gets here (both children are supervised): the stop is deliberate and says so.
  onUnexpectedExit: (name, code) => {
    fail(`${name} keeps crashing; stopping everything (exit code ${code})`);
    void shutdown("SIGTERM", code);
  },
});

async function shutdown(signal: NodeJS.Signals, exitCode: number): Promise<void> {
  if (shuttingDown) {
    await children.stop(signal); // a second Ctrl-C: kills at once
    return;
  }
  shuttingDown = true;
  await children.stop(signal);
  await restarts.stop();
  // Services last: the worker and the web app drain into them while they stop.
  for (const stop of stopServices.reverse()) {
    await stop().catch((error: unknown) => fail(`while stopping a service: ${String(error)}`));
  }
  process.exit(exitCode);
}

process.on("SIGINT", () => void shutdown("SIGINT", 0));
process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
process.on("SIGHUP", () => void shutdown("SIGTERM", 0));
// Last resort if this runner crashes: leave no app processes running without their services.
process.on("exit", () => children.killAll());

function requireProductionConfig(): void {
  const missing = ["DATABASE_URL", "REDIS_URL", "AUTH_SECRET"].filter((name) => !process.env[name]);
  if (missing.length > 0) {
    fail(
      `NODE_ENV=production needs real services, but ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not set.\n` +
        "  The embedded database, the auto-started Redis and the generated secret are for development only.\n" +
        "  See .env.example and README.md#configuration.",
    );
    process.exit(1);
  }
}

async function main(runMode: Mode): Promise<void> {
  // .env files, loaded the way `next` loads them (.env.local, .env.development, .env, …), here so the
  // worker sees the same values as the web app and the embedded defaults apply only to what is unset.
  loadEnvConfig(REPO_ROOT, runMode === "dev", { info: log, error: fail });

  if (process.env.NODE_ENV === "production") requireProductionConfig();

  const workerEntry = path.join(REPO_ROOT, "worker", "index.ts");
  if (!existsSync(workerEntry)) throw new Error(`${path.relative(REPO_ROOT, workerEntry)} is missing; the worker cannot start.`);

  const auth = ensureAuthSecret();
  const db = await ensureDatabase({ log });
  stopServices.push(db.stop);
  const redis = await ensureRedis({ log });
  stopServices.push(redis.stop);

  const port = process.env.PORT || "3000";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // `next dev` forces development and `next start` production; the worker follows the same mode.
    NODE_ENV: process.env.NODE_ENV || (runMode === "dev" ? "development" : "production"),
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    AUTH_SECRET: auth.secret,
    PORT: port,
    APP_URL: process.env.APP_URL || `http://localhost:${port}`,
  };
  // No mail server configured (and not an explicit production deployment, where server/env.js demands
  // one): mail goes to files in .data/outbox and the worker logs each link, so sign-up works out of the box.
  if (!env.SMTP_URL && !env.MAIL_OUTBOX_DIR && process.env.NODE_ENV !== "production") {
    env.MAIL_OUTBOX_DIR = path.join(REPO_ROOT, ".data", "outbox");
    log(`no SMTP_URL: mail is written to ${path.relative(REPO_ROOT, env.MAIL_OUTBOX_DIR)} and its links are logged by the worker`);
  }

  // Uploaded images in a local folder unless S3 is configured, and uploaded archives and exports: one
  // absolute path each, so the web server and the worker (each started in its own directory) share them.
  if (process.env.MEDIA_STORAGE !== "s3" && !env.MEDIA_LOCAL_DIR) env.MEDIA_LOCAL_DIR = path.join(REPO_ROOT, ".data", "media");
  env.PORTABILITY_DIR = path.resolve(REPO_ROOT, env.PORTABILITY_DIR || path.join(".data", "portability"));

  // The same validation the web app and the worker run at start, once, with one clear message.
  Object.assign(process.env, env);
  const { parseEnv } = await import("../server/env.js");
  const { QUEUE_PREFIX } = parseEnv(env);

  const migrations = await applyMigrations(db.url);

  const missingBuild = BUILD_MARKERS.filter((file) => !existsSync(file));
  if (runMode === "start" && missingBuild.length > 0) {
    log(`no complete production build (${missingBuild.map((f) => path.relative(REPO_ROOT, f)).join(", ")} missing); running \`npm run build\` first`);
    // The two steps of `npm run build` (package.json): ChildGroup runs node_modules/.bin commands.
    await children.run("next build", "next", ["build"], { ...env, SKIP_ENV_VALIDATION: "1" });
    await children.run("build-standalone", "tsx", ["scripts/build-standalone.ts"], env);
  }

  console.log(
    [
      "",
      `InkWell (${runMode === "dev" ? "development" : "production build"})`,
      `  database    ${db.description}: ${redactUrl(db.url)}`,
      `  redis       ${redis.description}: ${redactUrl(redis.url)}`,
      `  auth        ${auth.description}`,
      `  migrations  ${migrations.applied} applied now, ${migrations.total} in total`,
      `  open        ${env.APP_URL}`,
      "",
    ].join("\n"),
  );

  restarts.start(redis.url, QUEUE_PREFIX);
  // Each child has its own restart history: a crashing worker never costs the web its backoff.
  if (runMode === "dev") {
    children.start("web", "next", ["dev", "-p", port], env, new RestartPolicy());
    children.start("worker", "tsx", ["watch", "--clear-screen=false", "worker/index.ts"], env, new RestartPolicy());
  } else {
    // All interfaces, as `next start` listened. Not taken from the environment: container runtimes
    // export HOSTNAME as the machine's name, which would bind the server to that address alone.
    children.start("web", NODE_FROM_BIN, webArgs(), { ...env, HOSTNAME: "0.0.0.0" }, new RestartPolicy());
    children.start("worker", NODE_FROM_BIN, workerArgs(), env, new RestartPolicy());
  }
}

main(mode).catch(async (error: unknown) => {
  if (shuttingDown) return; // e.g. a Ctrl-C interrupted `next build`: already stopping
  fail(error instanceof Error ? error.message : String(error));
  await shutdown("SIGTERM", 1);
});
