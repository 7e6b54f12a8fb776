// Databases for test runs: a fresh database on a PostgreSQL server, or an embedded PGlite of the run's
// own (TEST_DATABASE), and the server-only check of the suites that cannot use PGlite.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import postgres from "postgres";

import { redactUrl, runMigrations } from "../migrate";
import type { Log } from "./common";
import { startEmbeddedPostgres, type DatabaseService } from "./embedded-postgres";

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

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Creates an empty, uniquely named database on the server of baseUrl, migrates it (unless `migrate`
 * is false: the scale tests run the bundled migrate.mjs on it themselves), and returns its URL. Each
 * test run gets its own, so runs (and developers' own data) never collide.
 */
export async function createTestDatabase(baseUrl: string = testServerUrl(), options: { migrate?: boolean } = {}): Promise<string> {
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
  if (options.migrate === false) return url;
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
