// Playwright's webServer (playwright.config.ts): serves the production build against a fresh,
// migrated database and a private queue prefix, then cleans both up when Playwright stops it. It runs
// the built output the way the containers do (Next's standalone server and the bundled worker, see
// scripts/production.ts), so the end-to-end tests test what ships.
// Needs an existing build (`npm run test:e2e` runs `npm run build` first). The database follows
// TEST_DATABASE (scripts/services/test-database.ts, startTestDatabase): a fresh database on a PostgreSQL server, or
// an embedded PGlite served by this process to the web server and the worker. Redis: REDIS_URL, the
// one on 127.0.0.1:6379, or a redis-server started here.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { prepareGateway } from "./gateway";
import { BUILD_MARKERS, NODE_FROM_BIN, webArgs, workerArgs } from "./production";
import {
  ChildGroup,
  REPO_ROOT,
  deleteRedisPrefix,
  redactUrl,
  startTestDatabase,
  startTestRedis,
  type StartedService,
  type TestDatabase,
} from "./services";

const log = (message: string) => console.log(`[e2e-server] ${message}`);

// Fixed so a failing run can be reproduced; never used outside tests.
const E2E_AUTH_SECRET = "inkwell-e2e-secret-not-for-production-0123456789";

const port = process.env.E2E_PORT || "3100";
// E2E_GATEWAY=1: the tests talk to the gateway (gateway/nginx.conf.template) on E2E_PORT, which proxies
// to the web server 10000 ports up, as in production behind nginx (npm run test:e2e:gateway).
const throughGateway = process.env.E2E_GATEWAY === "1";
const webPort = throughGateway ? String(Number(port) + 10_000) : port;
const queuePrefix = `{inkwell-e2e-${randomBytes(4).toString("hex")}}`;
// The worker writes mail here (no SMTP); playwright.config.ts picks the directory so tests can read it.
const outboxDir = process.env.E2E_MAIL_OUTBOX_DIR || mkdtempSync(path.join(tmpdir(), "inkwell-e2e-outbox-"));
// Uploaded images of this run (local storage), shared by the web server and the worker.
const mediaDir = mkdtempSync(path.join(tmpdir(), "inkwell-e2e-media-"));
// Uploaded archives and built exports: one absolute folder, shared by the web server and the worker.
const portabilityDir = mkdtempSync(path.join(tmpdir(), "inkwell-e2e-portability-"));

let database: TestDatabase | undefined;
let redis: StartedService | undefined;
let stopping = false;

// Not detached: if our cleanup overruns Playwright's gracefulShutdown timeout, its SIGKILL of this
// process group must reach the web server and the worker too. 10 s leaves time for cleanup inside
// the 15 s Playwright allows.
const children = new ChildGroup({
  detached: false,
  graceMs: 10_000,
  log,
  onUnexpectedExit: (name, code) => {
    log(`${name} stopped unexpectedly; shutting down`);
    void shutdown("SIGTERM", code);
  },
});

// After the web server and the worker have stopped: an embedded database or Redis lives in this process.
async function cleanUp(): Promise<void> {
  const db = database;
  if (db) await db.stop().catch((error: unknown) => log(`could not remove ${redactUrl(db.url)}: ${String(error)}`));
  const r = redis;
  if (r && !r.embedded) {
    await deleteRedisPrefix(r.url, queuePrefix).catch((error: unknown) => log(`could not clear ${queuePrefix}: ${String(error)}`));
  }
  if (r) await r.stop().catch((error: unknown) => log(`could not stop redis-server: ${String(error)}`));
  rmSync(outboxDir, { recursive: true, force: true });
  rmSync(mediaDir, { recursive: true, force: true });
  rmSync(portabilityDir, { recursive: true, force: true });
}

async function shutdown(signal: NodeJS.Signals, exitCode: number): Promise<void> {
  if (stopping) {
    await children.stop(signal); // asked again: kill at once
    return;
  }
  stopping = true;
  await children.stop(signal);
  await cleanUp();
  process.exit(exitCode);
}

process.on("SIGINT", () => void shutdown("SIGINT", 0));
process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
process.on("exit", () => children.killAll());

async function main(): Promise<void> {
  const missing = BUILD_MARKERS.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `No complete production build (missing ${missing.map((f) => path.relative(REPO_ROOT, f)).join(", ")}). ` +
        "Run `npm run test:e2e`, which builds first, or `npm run build`.",
    );
  }
  redis = await startTestRedis({ log });
  database = await startTestDatabase({ log });
  const databaseUrl = database.url;
  const redisUrl = redis.url;
  mkdirSync(outboxDir, { recursive: true });
  // For tests that must write what no request can (tests/e2e/public-cache.spec.ts plants markup a
  // sanitizer bug would let through); the outbox directory is this run's own.
  writeFileSync(path.join(outboxDir, ".database-url"), databaseUrl, { mode: 0o600 });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    AUTH_SECRET: E2E_AUTH_SECRET,
    PORT: webPort,
    HOSTNAME: "127.0.0.1", // the standalone server's bind address
    APP_URL: `http://127.0.0.1:${port}`,
    MAIL_OUTBOX_DIR: outboxDir,
    MEDIA_LOCAL_DIR: mediaDir,
    PORTABILITY_DIR: portabilityDir,
    // Nothing to phone home to in CI; its detached flush process would outlive the run.
    NEXT_TELEMETRY_DISABLED: "1",
    // Playwright shows this output; warnings and errors are what explains a failing test.
    LOG_LEVEL: process.env.LOG_LEVEL || "warn",
  };
  delete env.CDN_PURGE_URLS;
  if (throughGateway) {
    env.TRUSTED_PROXIES = "1"; // the gateway appends the client's address to X-Forwarded-For
    env.CDN_PURGE_URLS = `http://127.0.0.1:${Number(port) + 20_000}`; // the gateway's purge port
  }
  delete env.DATABASE_REPLICA_URLS; // a developer's replicas would point reads at another database
  delete env.SKIP_ENV_VALIDATION;
  delete env.SMTP_URL; // tests never mail anyone

  log(`database: ${database.description} ${redactUrl(databaseUrl)}; redis: ${redis.description} ${redactUrl(redisUrl)}; queue prefix ${queuePrefix}; mail outbox ${outboxDir}`);
  children.start("web", NODE_FROM_BIN, webArgs(), env);
  children.start("worker", NODE_FROM_BIN, workerArgs(), env);
  if (throughGateway) {
    const gateway = prepareGateway({ listen: `127.0.0.1:${port}`, purgeListen: `127.0.0.1:${Number(port) + 20_000}`, upstreams: [`127.0.0.1:${webPort}`] });
    log(`gateway: nginx on 127.0.0.1:${port} in front of the web server on ${webPort} (${gateway.dir})`);
    // ChildGroup runs commands from node_modules/.bin: name nginx relative to it (as NODE_FROM_BIN does node).
    children.start("gateway", path.relative(path.join(REPO_ROOT, "node_modules", ".bin"), gateway.command), gateway.args, env);
  }
}

main().catch(async (error: unknown) => {
  if (stopping) return;
  log(error instanceof Error ? error.message : String(error));
  await shutdown("SIGTERM", 1);
});
