// Applies the SQL migrations in ./drizzle. Used by `npm run db:migrate`, by scripts/run.ts before it
// starts the web and worker processes, and by the test setups on their throwaway databases.
import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import nextEnv from "@next/env";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

// Resolved from this file, not the cwd, so `tsx ../inkwell/scripts/migrate.ts` and the vitest global
// setup (which runs with the repo root as cwd, but need not) find the same folder.
// @next/env is a bundled CommonJS module whose named exports Node's ESM loader cannot see.
const { loadEnvConfig } = nextEnv;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const MIGRATIONS_FOLDER = path.join(REPO_ROOT, "drizzle");

// Any fixed bigint works; it only has to be the same for every InkWell instance sharing a database.
// Session-level (not transaction-level) because drizzle's migrator opens its own transaction.
const MIGRATION_LOCK_KEY = "7270836419384702215";

export interface MigrationSummary {
  /** Migrations this call applied. */
  applied: number;
  /** Migrations recorded in the database afterwards. */
  total: number;
  durationMs: number;
}

/** postgres://user:secret@host/db → postgres://user:***@host/db, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

async function countApplied(sql: postgres.Sql): Promise<number> {
  // Two steps: a query naming the table fails to parse before the first migration has created it.
  const [exists] = await sql<{ present: boolean }[]>`
    select to_regclass('drizzle.__drizzle_migrations') is not null as present`;
  if (!exists?.present) return 0;
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
  return row?.n ?? 0;
}

/** Like runMigrations, but says what it did (for the CLI and run.ts logs). */
export async function applyMigrations(databaseUrl: string): Promise<MigrationSummary> {
  const started = Date.now();
  // One connection: the advisory lock belongs to a session, and the migrator must run in that session.
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    // Several instances starting together queue here; the later ones then find nothing to apply.
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`;
    try {
      const before = await countApplied(sql);
      await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
      const total = await countApplied(sql);
      return { applied: total - before, total, durationMs: Date.now() - started };
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Applies ./drizzle migrations once, even when several processes call it at the same time. */
export async function runMigrations(databaseUrl: string): Promise<void> {
  await applyMigrations(databaseUrl);
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === pathToFileURL(realpathSync(fileURLToPath(import.meta.url))).href;
  } catch {
    return false;
  }
}

/** The same rule as server/env.js, without importing it (its import validates every other variable too). */
function readDatabaseUrl(): string {
  const value = process.env.DATABASE_URL;
  if (!value) {
    throw new Error(
      "DATABASE_URL is not set. Set it to your PostgreSQL URL, e.g.\n" +
        "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/inkwell npm run db:migrate\n" +
        "(`npm run dev` migrates its embedded database by itself.)",
    );
  }
  if (!/^postgres(ql)?:\/\//.test(value) || !URL.canParse(value)) {
    throw new Error("DATABASE_URL must be a URL such as postgres://user:pass@host:5432/db");
  }
  return value;
}

if (isMainModule()) {
  try {
    // DATABASE_URL may come from .env files, read as `next` reads them.
    loadEnvConfig(REPO_ROOT, process.env.NODE_ENV !== "production", { info: () => {}, error: console.error });
    const url = readDatabaseUrl();
    const s = await applyMigrations(url);
    console.log(
      `db:migrate: ${s.applied} new migration(s) applied, ${s.total} in total, on ${redactUrl(url)} (${s.durationMs} ms)`,
    );
    process.exit(0);
  } catch (error) {
    console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
