// The backing services InkWell needs (PostgreSQL, Redis, an auth secret), found or started for
// development, plus throwaway databases for tests. Used by scripts/run.ts, scripts/e2e-server.ts and
// tests/setup/global-setup.ts. Nothing here is imported by the web app or the worker.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";
import { Redis } from "ioredis";
import postgres from "postgres";

import { redactUrl, runMigrations } from "./migrate";
import type { RestartPolicy } from "./restart-policy";

export { redactUrl };

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Development-only state (embedded database, Redis files, generated secret). Git-ignored. */
export const DATA_DIR = path.join(REPO_ROOT, ".data");

export type Log = (message: string) => void;

export interface StartedService {
  url: string;
  /** True when this process started the service and stop() shuts it down. */
  embedded: boolean;
  /** Human-readable origin for the startup banner. */
  description: string;
  stop: () => Promise<void>;
}

/**
 * No DATABASE_POOL_MAX is needed for the embedded server: SessionScheduler makes any number of
 * connections safe (they take turns on PGlite's one session), so the app keeps its normal pool.
 */
export type DatabaseService = StartedService;

const noop = async () => {};

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

/** DATABASE_URL when set; otherwise PGlite (WASM Postgres) in this process, served on 127.0.0.1. */
export async function ensureDatabase(options: { dataDir?: string; log?: Log } = {}): Promise<DatabaseService> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    return { url: configured, embedded: false, description: "DATABASE_URL", stop: noop };
  }
  return startEmbeddedPostgres(options.dataDir ?? path.join(DATA_DIR, "pglite"), options.log ?? console.log);
}

// Wire-protocol constants the scheduler needs (PostgreSQL frontend/backend protocol v3).
const READY_FOR_QUERY = 0x5a; // 'Z', its one-byte payload is the transaction status
const TX_IDLE = 0x49; // 'I': not in a transaction block
const TERMINATE = 0x58; // 'X'
const SYNC_MESSAGE = new Uint8Array([0x53, 0, 0, 0, 4]); // 'S', length 4

/** The transaction status of the last ReadyForQuery in a backend response, or null if none. */
function lastReadyStatus(out: Uint8Array): number | null {
  let status: number | null = null;
  let i = 0;
  while (i + 5 <= out.length) {
    const len = ((out[i + 1]! << 24) | (out[i + 2]! << 16) | (out[i + 3]! << 8) | out[i + 4]!) >>> 0;
    if (out[i] === READY_FOR_QUERY && len === 5 && i + 6 <= out.length) status = out[i + 5]!;
    i += 1 + len;
  }
  return status;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

/**
 * Shares PGlite's single Postgres session between many client connections.
 *
 * Why not pglite-socket's own multiplexer (PGLiteSocketServer with maxConnections > 1): it
 * interleaves clients message by message, so one client's Bind/Execute can land between another's
 * Parse and Execute. With postgres.js (extended protocol, unnamed portal) two processes querying at
 * once got `portal "" does not exist` within a few hundred queries, and wrong-result mixups are
 * possible. This scheduler hands the session to one connection from its first message until the
 * backend reports ReadyForQuery *idle*: a whole Parse..Sync round, or a whole transaction, runs
 * alone (what pgbouncer calls transaction pooling). Statement names do not collide: postgres.js
 * names prepared statements with a random per-connection prefix.
 *
 * It implements the three methods PGLiteSocketHandler calls on its `queryQueue` (pglite-socket
 * 0.2.17, pinned exactly in package.json for that reason).
 *
 * Limitation: a connection inside a transaction blocks every other connection until it commits, so
 * code that, inside a transaction, awaits a query on another connection waits forever here (on a
 * real server it would work). A warning is printed when the session is held for long.
 */
class SessionScheduler {
  private queue: Pending[] = [];
  private owner: number | null = null;
  private ownerSince = 0;
  private running = false;
  private current: Promise<void> = Promise.resolve();
  /** Handlers whose socket went away; if one owns the session, the session is reset and freed. */
  private closed = new Set<number>();
  private warnedFor: number | null = null;
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    private readonly db: PGlite,
    private readonly log: Log,
  ) {
    this.watchdog = setInterval(() => this.warnIfStuck(), 5_000);
    this.watchdog.unref();
  }

  dispose(): void {
    clearInterval(this.watchdog);
    for (const item of this.queue.splice(0)) item.reject(new Error("embedded database stopped"));
  }

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error("client disconnected"));
      return false;
    });
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    this.closed.add(handlerId);
    await this.pump();
  }

  /** Resolves once no message is being run (before PGlite is closed). */
  async drain(): Promise<void> {
    while (this.running) await this.current;
  }

  private pump(): Promise<void> {
    // A running loop picks up new work before it stops, and clears `running` synchronously when it
    // stops, so an enqueue never lands between "nothing left" and "not running".
    if (this.running) return this.current;
    this.running = true;
    this.current = this.loop().catch((error: unknown) => this.log(`[pglite] scheduler error: ${String(error)}`));
    return this.current;
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        if (this.owner !== null && this.closed.has(this.owner)) await this.resetSession();
        this.closed.clear(); // closed non-owners have no queued work left (clearQueueForHandler)

        const index =
          this.owner === null ? (this.queue.length > 0 ? 0 : -1) : this.queue.findIndex((q) => q.handlerId === this.owner);
        if (index === -1) break; // idle, or the owner is between messages: others wait
        const item = this.queue.splice(index, 1)[0]!;
        if (this.owner !== item.handlerId) {
          this.owner = item.handlerId;
          this.ownerSince = Date.now();
        }

        const chunks: Uint8Array[] = [];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                chunks.push(data.slice()); // copy: the chunk may be a view into WASM memory
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          // PGlite itself failed (SQL errors come back as ErrorResponse, not as exceptions).
          if (!this.db.isInTransaction()) this.owner = null;
          item.reject(error instanceof Error ? error : new Error(String(error)));
          continue;
        }
        const status = lastReadyStatus(concat(chunks));
        if (status === TX_IDLE || item.message[0] === TERMINATE) this.owner = null;
        item.resolve(bytes);
      }
    } finally {
      this.running = false;
    }
  }

  /** Leaves the session as a fresh connection would find it: no half-done Parse..Sync, no transaction. */
  private async resetSession(): Promise<void> {
    try {
      await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC_MESSAGE));
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    } catch (error) {
      this.log(`[pglite] could not reset the session after a client left: ${String(error)}`);
    }
    this.owner = null;
  }

  private warnIfStuck(): void {
    if (this.owner === null || this.warnedFor === this.owner) return;
    const heldFor = Date.now() - this.ownerSince;
    const othersWaiting = this.queue.some((q) => q.handlerId !== this.owner);
    if (heldFor > 10_000 && othersWaiting) {
      this.warnedFor = this.owner;
      this.log(
        `[pglite] one connection has held the embedded database for ${Math.round(heldFor / 1000)} s while others wait ` +
          "(a long transaction, or a transaction awaiting a query on another connection, which never finishes here). " +
          "Set DATABASE_URL to a real PostgreSQL to rule the embedded server out.",
      );
    }
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live process (other than this one) that has an embedded database directory open, if any. */
export function embeddedDatabaseOwner(dataDir: string): number | null {
  const lockFile = `${dataDir}.lock`;
  if (!existsSync(lockFile)) return null;
  const pid = Number(readFileSync(lockFile, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid) ? pid : null;
}

/** PGlite's files may only be opened by one process; a pid file turns a second `npm run dev` into a clear error. */
function takeDirectoryLock(dataDir: string, lockFile: string): void {
  const pid = embeddedDatabaseOwner(dataDir);
  if (pid !== null) {
    throw new Error(
      `The embedded database in ${path.relative(REPO_ROOT, dataDir) || dataDir} is in use by process ${pid} ` +
        "(another `npm run dev`/`npm start`?). Stop it, or set DATABASE_URL to use a PostgreSQL server.",
    );
  }
  writeFileSync(lockFile, `${process.pid}\n`);
}

async function startEmbeddedPostgres(dataDir: string, log: Log): Promise<DatabaseService> {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = `${dataDir}.lock`;
  takeDirectoryLock(dataDir, lockFile);

  let db: PGlite | undefined;
  let server: net.Server | undefined;
  let scheduler: SessionScheduler | undefined;
  const handlers = new Set<PGLiteSocketHandler>();
  try {
    db = await PGlite.create(dataDir);
    const pglite = db;
    scheduler = new SessionScheduler(pglite, log);
    const queue = scheduler;
    server = net.createServer((socket) => {
      const handler = new PGLiteSocketHandler({
        // The option is typed as pglite-socket's private queue class; SessionScheduler provides the
        // same three methods the handler calls (see its comment), so the cast is sound for 0.2.17.
        queryQueue: queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]["queryQueue"],
        closeOnDetach: true,
      });
      handlers.add(handler);
      const forget = () => handlers.delete(handler);
      handler.addEventListener("close", forget);
      handler.addEventListener("error", forget);
      handler.attach(socket).catch((error: unknown) => {
        forget();
        log(`[pglite] could not attach a client: ${String(error)}`);
        socket.destroy();
      });
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once("error", reject);
      listening.listen(0, "127.0.0.1", () => resolve()); // port 0: the OS picks a free one
    });
    const { port } = server.address() as net.AddressInfo;
    // PGlite has one database, "postgres", and accepts any user and password.
    const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;

    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolve) => listening.close(() => resolve())); // after the last socket
      await Promise.all([...handlers].map((h) => h.detach(true)));
      handlers.clear();
      await closed;
      await queue.drain();
      queue.dispose();
      await pglite.close();
      rmSync(lockFile, { force: true });
    };
    return {
      url,
      embedded: true,
      description: `embedded PGlite (data in ${path.relative(REPO_ROOT, dataDir) || dataDir})`,
      stop,
    };
  } catch (error) {
    server?.close();
    scheduler?.dispose();
    await db?.close().catch(() => {});
    rmSync(lockFile, { force: true });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------------

/**
 * True if a Redis answers PING at url within the timeout. Always closes its client. A refused
 * connection answers at once, so a generous timeout costs nothing when no Redis is there, and keeps
 * a busy machine from being mistaken for a missing Redis.
 */
export async function redisAnswers(url: string, timeoutMs = 3_000): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null, // one attempt: a probe, not a connection to keep alive
    enableOfflineQueue: false,
  });
  client.on("error", () => {}); // the failed attempt is the answer, not an unhandled event
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Where a Redis "already running here" is looked for. INKWELL_LOCAL_REDIS_URL moves the probe, so
 * the fallbacks (start redis-server, or explain how to get Redis) can be tried on a machine whose
 * shared Redis must keep running: point it at a port nothing listens on.
 */
export function localRedisUrl(): string {
  return process.env.INKWELL_LOCAL_REDIS_URL || "redis://127.0.0.1:6379";
}

const REDIS_HOWTO =
  "InkWell needs Redis (the job queue between the web app and the worker). Either:\n" +
  "  - set REDIS_URL to a running Redis (e.g. REDIS_URL=redis://127.0.0.1:6379), or\n" +
  "  - run one on 127.0.0.1:6379: `docker run -d -p 6379:6379 redis:7`, or\n" +
  "  - install redis-server so it can be started for you: `sudo apt-get install redis-server` (Debian/Ubuntu)\n" +
  "    or `brew install redis` (macOS).";

/**
 * REDIS_URL when set; else a Redis on 127.0.0.1:6379 if one answers; else a redis-server started
 * here on a free port with its files in .data/redis; else an Error explaining how to get Redis.
 */
export async function ensureRedis(
  options: {
    dataDir?: string;
    log?: Log;
    /** Append-only file on (default): queued jobs survive a restart. Tests' throwaway Redis turns it off. */
    persist?: boolean;
    /** for tests of this function */ localUrl?: string;
  } = {},
): Promise<StartedService> {
  const configured = process.env.REDIS_URL;
  if (configured) return { url: configured, embedded: false, description: "REDIS_URL", stop: noop };

  const local = options.localUrl ?? localRedisUrl();
  if (await redisAnswers(local)) {
    return { url: local, embedded: false, description: `the Redis already running at ${local}`, stop: noop };
  }
  if (!onPath("redis-server")) throw new Error(`No Redis answers at ${local} and redis-server is not installed.\n${REDIS_HOWTO}`);
  return startRedisServer(options.dataDir ?? path.join(DATA_DIR, "redis"), options.log ?? console.log, options.persist ?? true);
}

/** A path for messages: relative inside the repository, absolute elsewhere (a temp dir). */
function shownPath(p: string): string {
  const relative = path.relative(REPO_ROOT, p);
  return relative && !relative.startsWith("..") ? relative : p;
}

async function startRedisServer(dir: string, log: Log, persist: boolean): Promise<StartedService> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  // Append-only file on, snapshots off: the embedded database persists in .data/, so queued jobs
  // must survive a restart of `npm run dev` too, or posts stay "queued" with no job behind them.
  // appendfsync everysec (the default) costs next to nothing at development load.
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", persist ? "yes" : "no", "--logfile", "redis.log"],
    // Own process group: a Ctrl-C in the terminal must not stop Redis before the worker has drained.
    { stdio: "ignore", detached: true },
  );
  const killOnExit = () => child.kill("SIGKILL"); // run.ts died without stopping us: leave no orphan
  process.once("exit", killOnExit);

  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  const spawnError = new Promise<never>((_, reject) => child.once("error", reject));

  const deadline = Date.now() + 10_000;
  try {
    while (!(await redisAnswers(url, 500))) {
      if (exited) throw new Error(`redis-server exited at start; see ${path.join(dir, "redis.log")}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${url} within 10 s; see ${path.join(dir, "redis.log")}`);
      await Promise.race([new Promise((r) => setTimeout(r, 100)), spawnError]);
    }
  } catch (error) {
    child.kill("SIGKILL");
    process.removeListener("exit", killOnExit);
    throw error;
  }
  log(`[redis] started redis-server on ${url} (files in ${shownPath(dir)})`);

  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM"); // redis-server shuts down cleanly on SIGTERM (fsyncs the AOF)
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exit;
    clearTimeout(timer);
    process.removeListener("exit", killOnExit);
  };
  return { url, embedded: true, description: `redis-server started here (data in ${shownPath(dir)})`, stop };
}

// ---------------------------------------------------------------------------------------------
// Auth secret
// ---------------------------------------------------------------------------------------------

/**
 * AUTH_SECRET when set; else the development secret in .data/auth-secret, generated on first use.
 * Kept in a file so sessions survive restarts. Not for production (run.ts refuses that).
 */
export function ensureAuthSecret(file = path.join(DATA_DIR, "auth-secret")): { secret: string; description: string } {
  const configured = process.env.AUTH_SECRET;
  if (configured) return { secret: configured, description: "AUTH_SECRET" };
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return { secret: stored, description: `development secret from ${path.relative(REPO_ROOT, file)}` };
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url"); // 43 characters
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, description: `development secret generated into ${path.relative(REPO_ROOT, file)}` };
}

// ---------------------------------------------------------------------------------------------
// Test databases
// ---------------------------------------------------------------------------------------------

const TEST_DB_PATTERN = /^inkwell_test_[a-z0-9_]+$/;

/**
 * Where a PostgreSQL "already running here" is looked for when TEST_DATABASE_URL is unset.
 * INKWELL_LOCAL_POSTGRES_URL moves the probe, so the embedded fallback can be tried on a machine whose
 * shared PostgreSQL must keep running: point it at a port nothing listens on.
 */
export function localPostgresUrl(): string {
  return process.env.INKWELL_LOCAL_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/postgres";
}

/** The server test databases are made on: TEST_DATABASE_URL, else the local PostgreSQL. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL || localPostgresUrl();
}

/**
 * TEST_DATABASE: `auto` (unset) uses TEST_DATABASE_URL if set, else the PostgreSQL on 127.0.0.1:5432
 * if one answers, else an embedded PGlite; `embedded` always PGlite; `server` always a server.
 */
export type TestDatabaseMode = "auto" | "embedded" | "server";

export function testDatabaseMode(): TestDatabaseMode {
  const value = (process.env.TEST_DATABASE ?? "").trim().toLowerCase();
  if (value === "" || value === "auto") return "auto";
  if (value === "embedded" || value === "server") return value;
  throw new Error(`TEST_DATABASE must be "embedded", "server" or unset (auto), not "${process.env.TEST_DATABASE}".`);
}

/** Errors that mean "nothing (reachable) listens there", as opposed to a server that refused us. */
const UNREACHABLE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "CONNECT_TIMEOUT"]);

/**
 * True if a PostgreSQL server answers at url. A server that answers but refuses the login still
 * counts (it is there; createTestDatabase then says why it cannot be used), so a misconfigured local
 * server is reported instead of being silently replaced by the embedded one.
 */
export async function postgresAnswers(url: string, timeoutSeconds = 3): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: timeoutSeconds, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return !(typeof code === "string" && UNREACHABLE.has(code));
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

const POSTGRES_HOWTO =
  "Either:\n" +
  "  - start PostgreSQL on 127.0.0.1:5432 where user postgres may create databases:\n" +
  "    `sudo apt-get install postgresql` (Debian/Ubuntu; then `sudo service postgresql start`), `brew install postgresql@17`\n" +
  "    (macOS), or `docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:17`, or\n" +
  "  - set TEST_DATABASE_URL to a server where the user may CREATE DATABASE (e.g. postgres://user:pass@host:5432/postgres).";

/** A migrated database for one test run; stop() drops it, or stops the embedded server and deletes its files. */
export interface TestDatabase {
  url: string;
  embedded: boolean;
  description: string;
  stop: () => Promise<void>;
}

/**
 * The database a test run uses, chosen by TEST_DATABASE (see TestDatabaseMode): a fresh migrated
 * database on a server (createTestDatabase), or an embedded PGlite served on a free 127.0.0.1 port
 * from a temp dir of its own. The embedded server lives in the calling process: keep it running for
 * as long as tests (or the web and worker processes given the URL) use it.
 */
export async function startTestDatabase(options: { log?: Log } = {}): Promise<TestDatabase> {
  const log = options.log ?? console.log;
  const mode = testDatabaseMode();
  let useServer = mode === "server";
  if (mode === "auto") {
    if (process.env.TEST_DATABASE_URL) useServer = true;
    else if (await postgresAnswers(localPostgresUrl())) useServer = true;
    else log(`no PostgreSQL answers at ${redactUrl(localPostgresUrl())}: using an embedded PGlite (TEST_DATABASE=server to require a server)`);
  }
  if (useServer) {
    const server = testServerUrl();
    if (mode === "server" && !(await postgresAnswers(server))) {
      throw new Error(`TEST_DATABASE=server, but no PostgreSQL answers at ${redactUrl(server)}.\n${POSTGRES_HOWTO}`);
    }
    const url = await createTestDatabase(server);
    return { url, embedded: false, description: `database on ${redactUrl(server)}`, stop: () => dropTestDatabase(url) };
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), "inkwell-test-pglite-"));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  let service: DatabaseService;
  try {
    service = await startEmbeddedPostgres(path.join(dir, "pglite"), log);
  } catch (error) {
    removeDir();
    throw error;
  }
  try {
    await runMigrations(service.url);
  } catch (error) {
    await service.stop().catch(() => {});
    removeDir();
    throw error;
  }
  return {
    url: service.url,
    embedded: true,
    description: `embedded PGlite (data in ${dir}, deleted afterwards)`,
    stop: async () => {
      try {
        await service.stop();
      } finally {
        removeDir();
      }
    },
  };
}

/**
 * For suites that need a real server (the scale tests: several processes migrating at once behind an
 * advisory lock, which PGlite's one shared session cannot arbitrate): the server URL, or an Error
 * saying how to get one. `why` completes "… needs a PostgreSQL server because …".
 */
export async function requireTestServer(suite: string, why: string): Promise<string> {
  if (testDatabaseMode() === "embedded") {
    throw new Error(
      `${suite} needs a PostgreSQL server (${why}); TEST_DATABASE=embedded cannot run it. ` +
        `Unset TEST_DATABASE, or set TEST_DATABASE=server.\n${POSTGRES_HOWTO}`,
    );
  }
  const server = testServerUrl();
  if (!(await postgresAnswers(server))) {
    throw new Error(`${suite} needs a PostgreSQL server (${why}), and none answers at ${redactUrl(server)}.\n${POSTGRES_HOWTO}`);
  }
  return server;
}

/**
 * The Redis a test run uses: REDIS_URL, else the one on 127.0.0.1:6379 if it answers, else a
 * redis-server started in a temp dir on a free port (deleted by stop()), else an Error saying how to
 * get Redis. The same rule as `npm run dev` (ensureRedis), without touching .data/.
 */
export async function startTestRedis(options: { log?: Log } = {}): Promise<StartedService> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "inkwell-test-redis-"));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  let service: StartedService;
  try {
    service = await ensureRedis({ dataDir: dir, log: options.log, persist: false });
  } catch (error) {
    removeDir();
    throw error;
  }
  if (!service.embedded) removeDir();
  return {
    ...service,
    stop: async () => {
      try {
        await service.stop();
      } finally {
        removeDir();
      }
    },
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Creates an empty, uniquely named database on the server of baseUrl, migrates it, and returns its
 * URL. Each test run gets its own, so runs (and developers' own data) never collide.
 */
export async function createTestDatabase(baseUrl: string = testServerUrl()): Promise<string> {
  const name = `inkwell_test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database "${name}"`);
    await dropAbandonedTestDatabases(admin);
  } catch (error) {
    throw new Error(
      `Could not create a test database on ${redactUrl(baseUrl)}: ${error instanceof Error ? error.message : String(error)}\n` +
        "Tests need a PostgreSQL server where this user may CREATE DATABASE: start one on 127.0.0.1:5432, " +
        "or set TEST_DATABASE_URL (e.g. postgres://user:pass@host:5432/postgres).",
    );
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = withDatabase(baseUrl, name);
  try {
    await runMigrations(url);
  } catch (error) {
    await dropTestDatabase(url).catch(() => {});
    throw error;
  }
  return url;
}

/**
 * Runs killed before their cleanup (SIGKILL, a closed laptop) leave databases behind. Any test
 * database older than a day belongs to no live run: drop it. Best effort.
 */
async function dropAbandonedTestDatabases(admin: postgres.Sql): Promise<void> {
  const cutoff = Date.now() - 24 * 60 * 60 * 1000;
  const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname like 'inkwell\_test\_%'`;
  for (const { datname } of rows) {
    const createdAt = Number(/^inkwell_test_(\d+)_/.exec(datname)?.[1]);
    if (!TEST_DB_PATTERN.test(datname) || !(createdAt < cutoff)) continue;
    await admin.unsafe(`drop database if exists "${datname}" with (force)`).catch(() => {});
  }
}

/** Drops a database made by createTestDatabase, disconnecting anyone still using it. */
export async function dropTestDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  // Refuse anything createTestDatabase would not have made: this runs DROP DATABASE.
  if (!TEST_DB_PATTERN.test(name)) throw new Error(`Refusing to drop "${name}": not a test database`);
  const admin = postgres(withDatabase(url, new URL(testServerUrl()).pathname.slice(1) || "postgres"), {
    max: 1,
    onnotice: () => {},
    connect_timeout: 5,
  });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------------
// Redis keys of a test queue prefix
// ---------------------------------------------------------------------------------------------

/** Deletes every key under `${prefix}:` (a test run's BullMQ queues). Returns how many. */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<number> {
  if (!prefix) throw new Error("deleteRedisPrefix needs a non-empty prefix");
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on("error", () => {});
  let deleted = 0;
  try {
    await client.connect();
    // Escape glob characters so a prefix such as "{inkwell-test-ab12}" matches only itself.
    const pattern = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}:*`;
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", pattern, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
  return deleted;
}

// ---------------------------------------------------------------------------------------------
// Child processes (web, worker, build) for run.ts and e2e-server.ts
// ---------------------------------------------------------------------------------------------

interface Managed {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
  done: boolean;
  oneOff: boolean;
  startedAt: number;
}

interface Command {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface ChildGroupOptions {
  /**
   * Give each child its own process group. run.ts does, so a terminal Ctrl-C reaches only the
   * runner, which stops the apps before the services they drain into. e2e-server.ts does not, so
   * Playwright's last-resort SIGKILL of its process group still reaches them.
   */
  detached: boolean;
  /** How long children get to exit after the stop signal before they are killed. */
  graceMs: number;
  log: Log;
  /**
   * A long-running child exited while nobody was stopping the group, and is not restarted: it has no
   * restart policy, or its policy gave up (a crash loop).
   */
  onUnexpectedExit: (name: string, code: number) => void;
  /** A supervised child exited unexpectedly and will be started again (restart counts from 1). */
  onRestart?: (name: string, restart: number, exit: string) => void;
}

/**
 * Runs node_modules/.bin commands with inherited stdio and stops them together, bounded in time.
 * Children started with a RestartPolicy are supervised: restarted when they exit unexpectedly, while the
 * others keep running, until the policy gives up.
 */
export class ChildGroup {
  private readonly children: Managed[] = [];
  private readonly pendingRestarts = new Set<NodeJS.Timeout>();
  private stopping = false;

  constructor(private readonly options: ChildGroupOptions) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  private spawn(cmd: Command, oneOff: boolean, policy?: RestartPolicy): Managed {
    const { name, command, args, env } = cmd;
    const child = spawn(path.join(REPO_ROOT, "node_modules", ".bin", command), args, {
      cwd: REPO_ROOT,
      env,
      stdio: "inherit",
      detached: this.options.detached && process.platform !== "win32",
    });
    const managed: Managed = { name, child, done: false, oneOff, exited: Promise.resolve(), startedAt: Date.now() };
    // Supervised children say their pid: operators (and the restart test) can tell the processes apart.
    if (policy && child.pid !== undefined) this.options.log(`${name} started (pid ${child.pid})`);
    managed.exited = new Promise<void>((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
        if (managed.done) return;
        managed.done = true;
        resolve();
        if (this.stopping || oneOff) return;
        const exit = error ? `could not start: ${error.message}` : signal ? `signal ${signal}` : `code ${code}`;
        const exitCode = code && code > 0 ? code : 1;
        if (!policy) {
          this.options.log(`${name} exited (${exit})`);
          this.options.onUnexpectedExit(name, exitCode);
          return;
        }
        const decision = policy.onUnexpectedExit(managed.startedAt, Date.now());
        if (decision.action === "give-up") {
          this.options.log(
            `${name} exited (${exit}) after ${decision.restartsInWindow} restarts in a short time: it is crash-looping, ` +
              "so it is not restarted again. Its output above says why.",
          );
          this.options.onUnexpectedExit(name, exitCode);
          return;
        }
        this.options.log(`${name} exited unexpectedly (${exit}); restarting it in ${decision.delayMs / 1000} s (restart ${decision.restart})`);
        this.options.onRestart?.(name, decision.restart, exit);
        const timer = setTimeout(() => {
          this.pendingRestarts.delete(timer);
          if (!this.stopping) this.spawn(cmd, false, policy);
        }, decision.delayMs);
        this.pendingRestarts.add(timer);
      };
      child.once("exit", (code, signal) => finish(code, signal));
      child.once("error", (error) => finish(null, null, error));
    });
    this.children.push(managed);
    return managed;
  }

  /**
   * A long-running process (web, worker). With a restart policy it is restarted when it exits while
   * the group is not stopping; without one, such an exit is reported to onUnexpectedExit.
   */
  start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, restart?: RestartPolicy): void {
    this.spawn({ name, command, args, env }, false, restart);
  }

  /** A command run to completion (next build); rejects on a non-zero exit. Stopped with the group. */
  async run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
    const m = this.spawn({ name, command, args, env }, true);
    const code = await new Promise<number>((resolve) => {
      m.child.once("exit", (c, s) => resolve(c ?? (s ? 1 : 0)));
      m.child.once("error", () => resolve(1));
    });
    if (code !== 0) throw new Error(`${name} failed (exit code ${code})`);
  }

  private signal(m: Managed, signal: NodeJS.Signals): void {
    if (m.done || m.child.pid === undefined) return;
    try {
      if (this.options.detached && process.platform !== "win32") process.kill(-m.child.pid, signal);
      else m.child.kill(signal);
    } catch {
      // ESRCH: already gone
    }
  }

  /** Sends `signal`, waits up to graceMs, then SIGKILLs what is left. Safe to call twice. */
  async stop(signal: NodeJS.Signals): Promise<void> {
    if (this.stopping) {
      this.killAll(); // asked twice (a second Ctrl-C): do not make anyone wait
      return;
    }
    this.stopping = true;
    for (const timer of this.pendingRestarts) clearTimeout(timer);
    this.pendingRestarts.clear();
    const live = this.children.filter((m) => !m.done);
    if (live.length > 0) this.options.log(`stopping ${live.map((m) => m.name).join(", ")}…`);
    for (const m of live) this.signal(m, signal);
    const timer = setTimeout(() => {
      this.options.log(`still running after ${this.options.graceMs / 1000} s; killing`);
      this.killAll();
    }, this.options.graceMs);
    await Promise.all(this.children.map((m) => m.exited));
    clearTimeout(timer);
    // Sweep grandchildren a child left behind in its group.
    if (this.options.detached && process.platform !== "win32") {
      for (const m of this.children) {
        try {
          if (m.child.pid !== undefined) process.kill(-m.child.pid, "SIGKILL");
        } catch {
          // ESRCH: the group is gone, the normal case
        }
      }
    }
  }

  /** Synchronous last resort, e.g. from a process "exit" handler. */
  killAll(): void {
    for (const m of this.children) this.signal(m, "SIGKILL");
  }
}
