// The embedded development database: PGlite (PostgreSQL compiled to WASM) in this process, served on
// a 127.0.0.1 port through SessionScheduler, with its files in .data/pglite (or a test's temp dir).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";

import { DATA_DIR, REPO_ROOT, noop, type Log, type StartedService } from "./common";
import { SessionScheduler } from "./session-scheduler";

/**
 * No DATABASE_POOL_MAX is needed for the embedded server: SessionScheduler makes any number of
 * connections safe (they take turns on PGlite's one session), so the app keeps its normal pool.
 */
export type DatabaseService = StartedService;

/** DATABASE_URL when set; otherwise PGlite (WASM Postgres) in this process, served on 127.0.0.1. */
export async function ensureDatabase(options: { dataDir?: string; log?: Log } = {}): Promise<DatabaseService> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    return { url: configured, embedded: false, description: "DATABASE_URL", stop: noop };
  }
  return startEmbeddedPostgres(options.dataDir ?? path.join(DATA_DIR, "pglite"), options.log ?? console.log);
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

export async function startEmbeddedPostgres(dataDir: string, log: Log): Promise<DatabaseService> {
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
