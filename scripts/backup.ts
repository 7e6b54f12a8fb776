// `npm run backup` / `npm run restore`: a copy of InkWell's database, and its way back.
//
//   npm run backup [-- <file>]              writes backups/inkwell-<time>.dump (server) or .tar.gz (embedded)
//   npm run restore -- <file> [--replace]   restores it (into an empty database unless --replace)
//
// With DATABASE_URL (a PostgreSQL server): pg_dump's custom format, restored with pg_restore in one
// transaction, then the migrations of this release are applied (a backup from an older release comes
// up to date). pg_dump and pg_restore must be on PATH (or in PG_BINDIR), of the server's major version
// or newer. The app may keep running during a backup (pg_dump reads one consistent snapshot).
//
// Without DATABASE_URL (the embedded development database, .data/pglite): PGlite's own dump of its data
// directory (a gzipped tarball), restored by PGlite; `npm run dev` must be stopped for both, since one
// process at a time may open the directory. Migrations apply at the next `npm run dev`.
//
// `--pglite-dir <dir>` points the embedded mode at another directory (the tests use it).
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import nextEnv from "@next/env";
import postgres from "postgres";

import { applyMigrations, redactUrl } from "./migrate";
import { DATA_DIR, REPO_ROOT, embeddedDatabaseOwner } from "./services";

// @next/env is a bundled CommonJS module whose named exports Node's ESM loader cannot see.
const { loadEnvConfig } = nextEnv;

const log = (message: string) => console.log(`[inkwell] ${message}`);

/** A refusal or failure with a message for the operator (no stack trace). */
class BackupError extends Error {}

const BACKUP_DIR = path.join(REPO_ROOT, "backups");
const PGDUMP_MAGIC = "PGDMP"; // the first bytes of a pg_dump custom-format archive
const GZIP_MAGIC = [0x1f, 0x8b];

interface Options {
  command: "backup" | "restore";
  file: string | undefined;
  replace: boolean;
  pgliteDir: string;
}

function parseArgs(argv: string[]): Options {
  const [command, ...rest] = argv;
  if (command !== "backup" && command !== "restore") throw new BackupError("usage: tsx scripts/backup.ts backup|restore [file] [--replace] [--pglite-dir <dir>]");
  const options: Options = { command, file: undefined, replace: false, pgliteDir: path.join(DATA_DIR, "pglite") };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--replace") options.replace = true;
    else if (arg === "--pglite-dir") {
      const dir = rest[++i];
      if (!dir) throw new BackupError("--pglite-dir needs a directory.");
      options.pgliteDir = path.resolve(dir);
    } else if (arg.startsWith("--")) throw new BackupError(`Unknown option ${arg}.`);
    else if (options.file) throw new BackupError(`One file at a time (got ${options.file} and ${arg}).`);
    else options.file = path.resolve(arg);
  }
  if (command === "restore" && !options.file) throw new BackupError("Which backup? npm run restore -- <file>");
  if (command === "backup" && options.replace) throw new BackupError("--replace is for restore.");
  return options;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
}

/** Written under a temporary name and renamed when complete, so a failed backup never looks like one. */
function writeAtomically(file: string, write: (partial: string) => Promise<void>): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  if (existsSync(file)) throw new BackupError(`${file} already exists; choose another name.`);
  const partial = `${file}.partial`;
  return write(partial).then(
    () => renameSync(partial, file),
    (error: unknown) => {
      rmSync(partial, { force: true });
      throw error;
    },
  );
}

function firstBytes(file: string, count: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(count);
    const read = readSync(fd, buffer, 0, count, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// A PostgreSQL server: pg_dump / pg_restore
// ---------------------------------------------------------------------------------------------

function pgTool(name: "pg_dump" | "pg_restore"): string {
  return process.env.PG_BINDIR ? path.join(process.env.PG_BINDIR, name) : name;
}

/** The URL without its password, which goes in PGPASSWORD instead (argv is visible to every user). */
function connection(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return { url: parsed.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "inherit", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          error.code === "ENOENT"
            ? `${command} was not found. Install the PostgreSQL client tools of your server's version or newer ` +
                "(Debian/Ubuntu: sudo apt-get install postgresql-client), or set PG_BINDIR."
            : `${command} could not start: ${error.message}`,
        ),
      ),
    );
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new BackupError(`${path.basename(command)} failed (exit code ${code}):\n${stderr.trim()}`))));
  });
}

async function backupServer(databaseUrl: string, file: string): Promise<void> {
  const { url, env } = connection(databaseUrl);
  await writeAtomically(file, (partial) => run(pgTool("pg_dump"), ["--format=custom", `--file=${partial}`, `--dbname=${url}`], env));
}

/** Tables in InkWell's schemas: a database holding any is not empty. */
async function inkwellTables(databaseUrl: string): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_tables where schemaname in ('users', 'posts', 'media', 'drizzle')`;
    return row?.n ?? 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function restoreServer(databaseUrl: string, file: string, replace: boolean): Promise<void> {
  if (!firstBytes(file, PGDUMP_MAGIC.length).equals(Buffer.from(PGDUMP_MAGIC))) {
    throw new BackupError(`${file} is not a pg_dump archive (custom format). An embedded database's backup (.tar.gz) restores without DATABASE_URL.`);
  }
  const tables = await inkwellTables(databaseUrl);
  if (tables > 0 && !replace) {
    throw new BackupError(
      `The database at ${redactUrl(databaseUrl)} already holds InkWell's tables (${tables}). Restore into an empty database, ` +
        "or pass --replace to drop what the backup contains and restore over it.",
    );
  }
  const { url, env } = connection(databaseUrl);
  // One transaction: a failed restore leaves the database as it was. No owners or grants: the backup
  // may come from a server whose roles this one does not have.
  const args = ["--single-transaction", "--exit-on-error", "--no-owner", "--no-acl", `--dbname=${url}`];
  if (replace) args.push("--clean", "--if-exists");
  await run(pgTool("pg_restore"), [...args, file], env);
  const migrations = await applyMigrations(databaseUrl);
  log(`migrations: ${migrations.applied} applied now, ${migrations.total} in total`);
}

// ---------------------------------------------------------------------------------------------
// The embedded database: PGlite's dump of its data directory
// ---------------------------------------------------------------------------------------------

function refuseIfOpen(dir: string): void {
  const pid = embeddedDatabaseOwner(dir);
  if (pid !== null) {
    throw new BackupError(`The embedded database in ${path.relative(REPO_ROOT, dir) || dir} is open in process ${pid} (npm run dev or npm start): stop it first.`);
  }
}

function hasFiles(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}

async function backupEmbedded(dir: string, file: string): Promise<void> {
  refuseIfOpen(dir);
  if (!hasFiles(dir)) throw new BackupError(`There is no embedded database in ${dir} to back up (is DATABASE_URL meant to be set?).`);
  const db = await PGlite.create(dir);
  try {
    const dump = await db.dumpDataDir("gzip");
    await writeAtomically(file, async (partial) => writeFileSync(partial, Buffer.from(await dump.arrayBuffer())));
  } finally {
    await db.close();
  }
}

async function restoreEmbedded(dir: string, file: string, replace: boolean): Promise<void> {
  const magic = firstBytes(file, 2);
  if (magic[0] !== GZIP_MAGIC[0] || magic[1] !== GZIP_MAGIC[1]) {
    throw new BackupError(`${file} is not an embedded database backup (.tar.gz). A pg_dump archive restores into a server: set DATABASE_URL.`);
  }
  refuseIfOpen(dir);
  let setAside: string | undefined;
  if (hasFiles(dir)) {
    if (!replace) throw new BackupError(`${dir} already holds a database. Pass --replace to set it aside (it is kept, renamed) and restore in its place.`);
    setAside = `${dir}.before-restore-${timestamp()}`;
    renameSync(dir, setAside);
  }
  try {
    mkdirSync(dir, { recursive: true });
    const db = await PGlite.create({ dataDir: dir, loadDataDir: new Blob([readFileSync(file)]) });
    await db.query("select 1"); // opened and readable
    await db.close();
  } catch (error) {
    // Leave things as they were: the set-aside database back in place.
    rmSync(dir, { recursive: true, force: true });
    if (setAside) renameSync(setAside, dir);
    throw error;
  }
  if (setAside) log(`the database that was there is kept in ${setAside}`);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  loadEnvConfig(REPO_ROOT, false, { info: () => {}, error: (message: string) => console.error(message) });
  // Empty counts as unset, as in server/env.js: DATABASE_URL= in the environment selects the embedded database.
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const started = Date.now();

  if (options.command === "backup") {
    const file = options.file ?? path.join(BACKUP_DIR, `inkwell-${timestamp()}${databaseUrl ? ".dump" : ".tar.gz"}`);
    if (databaseUrl) await backupServer(databaseUrl, file);
    else await backupEmbedded(options.pgliteDir, file);
    const size = (statSync(file).size / 1024 / 1024).toFixed(1);
    log(`backed up ${databaseUrl ? redactUrl(databaseUrl) : options.pgliteDir} to ${file} (${size} MB, ${Date.now() - started} ms)`);
    return;
  }

  const file = options.file!;
  if (!existsSync(file)) throw new BackupError(`${file} does not exist.`);
  if (databaseUrl) await restoreServer(databaseUrl, file, options.replace);
  else await restoreEmbedded(options.pgliteDir, file, options.replace);
  log(`restored ${file} into ${databaseUrl ? redactUrl(databaseUrl) : options.pgliteDir} (${Date.now() - started} ms)`);
}

main().catch((error: unknown) => {
  console.error(`[inkwell] ${error instanceof BackupError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
