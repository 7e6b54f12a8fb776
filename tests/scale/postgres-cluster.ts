// A PostgreSQL primary and a streaming replica of the test's own (initdb, pg_basebackup -R), on free
// loopback ports, with their data in a temp dir that stop() removes. PostgreSQL refuses to run as
// root, so under root every command runs as the `postgres` OS user (setpriv, which execs: the pid
// we signal is the command itself). Each server runs under `timeout`, so even a test process killed
// before its cleanup leaves nothing running for long.
import { execFile } from "node:child_process";
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import postgres from "postgres";

import { freePort, startProcess, type ManagedProcess } from "../../scripts/services";
import { poll } from "./support";

const run = promisify(execFile);
const SERVER_LIFETIME_S = 600; // far above the suite's run time

/** PG_BINDIR, else the newest /usr/lib/postgresql/<version>/bin (Debian's layout), else PATH. */
function binDir(): string {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(path.join(base, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(base, versions[0], "bin");
  }
  return "";
}

const PG_HOWTO =
  "Install the PostgreSQL server (`sudo apt-get install postgresql postgresql-contrib` on Debian/Ubuntu, " +
  "`brew install postgresql@17` on macOS), or set PG_BINDIR to the folder holding initdb, pg_basebackup and postgres.";

/**
 * What startReplicatedPostgres needs and this machine lacks, as one message (null when nothing is
 * missing), so the suite can stop before it starts anything instead of failing halfway through.
 */
export function missingPostgresBinaries(): string | null {
  const bin = binDir();
  const tools = ["initdb", "pg_basebackup", "postgres"];
  const missing = bin
    ? tools.filter((t) => !existsSync(path.join(bin, t)))
    : tools.filter((t) => !(process.env.PATH ?? "").split(path.delimiter).some((dir) => existsSync(path.join(dir, t))));
  // Debian's layout keeps the modules in lib/ next to bin/; elsewhere the server reports it at start.
  const lib = bin ? path.join(bin, "..", "lib") : "";
  if (missing.length === 0 && lib && existsSync(path.join(lib, "plpgsql.so")) && !existsSync(path.join(lib, "pg_stat_statements.so"))) {
    missing.push("pg_stat_statements (postgresql-contrib)");
  }
  if (missing.length === 0) return null;
  return `the replica test starts a PostgreSQL primary and a streaming replica of its own and needs the server binaries; missing: ${missing.join(", ")} (looked in ${bin || "PATH"}).\n${PG_HOWTO}`;
}

interface Identity {
  uid: number;
  gid: number;
}

async function postgresUser(): Promise<Identity | null> {
  if (process.getuid?.() !== 0) return null; // not root: run as ourselves
  const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
  const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error("running as root, but there is no `postgres` OS user to run PostgreSQL as");
  return { uid, gid };
}

export interface PgServer {
  port: number;
  url(database: string): string;
}

export interface ReplicatedPostgres {
  primary: PgServer;
  replica: PgServer;
  /** Stops both servers (replica first) and removes their data. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startReplicatedPostgres(log: (line: string) => void = () => {}): Promise<ReplicatedPostgres> {
  const bin = binDir();
  const tool = (name: string) => (bin ? path.join(bin, name) : name);
  if (bin && !existsSync(tool("initdb"))) throw new Error(`no initdb in ${bin}; set PG_BINDIR to PostgreSQL's bin folder`);
  const owner = await postgresUser();
  const asOwner = (command: string, args: string[]): [string, string[]] =>
    owner ? ["setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", command, ...args]] : [command, args];
  // A minimal environment: no PG* variables from the caller reach initdb or the servers.
  const env: NodeJS.ProcessEnv = { NODE_ENV: process.env.NODE_ENV, PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C", LC_ALL: "C" };

  const base = mkdtempSync(path.join(os.tmpdir(), "inkwell-pg-"));
  const servers: ManagedProcess[] = [];
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // SIGINT is PostgreSQL's fast shutdown (`timeout` passes it on too).
    for (const server of [...servers].reverse()) await server.stop({ signal: "SIGINT", graceMs: 15_000 });
    rmSync(base, { recursive: true, force: true });
  };

  const startServer = async (name: string, dataDir: string, port: number): Promise<PgServer> => {
    const [command, args] = asOwner(tool("postgres"), ["-D", dataDir, "-c", `port=${port}`]);
    // Its own process group (`timeout` leads it), so a stop or the last-resort kill reaches the server.
    const child = startProcess(name, "timeout", ["--kill-after=10", String(SERVER_LIFETIME_S), command, ...args], { cwd: base, env, detached: true });
    servers.push(child);
    const server: PgServer = { port, url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}` };
    await poll(
      `${name} to accept connections on ${port}`,
      async () => {
        if (child.done) throw new Error(`${name} exited: ${child.output().slice(-20_000)}`);
        const sql = postgres(server.url("postgres"), { max: 1, connect_timeout: 2, onnotice: () => {} });
        try {
          await sql`select 1`;
          return true;
        } finally {
          await sql.end({ timeout: 1 });
        }
      },
      { timeoutMs: 30_000, intervalMs: 100, describe: () => child.output().slice(-20_000) },
    );
    log(`${name} up on 127.0.0.1:${port}`);
    return server;
  };

  try {
    if (owner) {
      chownSync(base, owner.uid, owner.gid);
      chmodSync(base, 0o700);
    }
    const primaryDir = path.join(base, "primary");
    const replicaDir = path.join(base, "replica");
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];

    // --auth=trust also trusts replication connections from 127.0.0.1 (initdb's pg_hba.conf).
    const [initdb, initdbArgs] = asOwner(tool("initdb"), ["-D", primaryDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
    await run(initdb, initdbArgs, { cwd: base, env, timeout: 60_000 });
    appendFileSync(
      path.join(primaryDir, "postgresql.conf"),
      [
        "",
        "# tests/scale/postgres-cluster.ts",
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${base}'`,
        "wal_level = replica",
        "max_wal_senders = 4",
        "hot_standby = on",
        // Each server counts the statements it runs itself: the test's proof of where reads went.
        "shared_preload_libraries = 'pg_stat_statements'",
        // Throwaway data: durability only costs time here.
        "fsync = off",
        "synchronous_commit = off",
        "shared_buffers = 32MB",
        "",
      ].join("\n"),
    );
    const primary = await startServer("primary", primaryDir, primaryPort);

    // -R writes primary_conninfo and standby.signal: the copy starts as a streaming hot standby.
    const [basebackup, basebackupArgs] = asOwner(tool("pg_basebackup"), [
      "-h", "127.0.0.1", "-p", String(primaryPort), "-U", "postgres", "-D", replicaDir, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync",
    ]);
    await run(basebackup, basebackupArgs, { cwd: base, env, timeout: 60_000 });
    const replica = await startServer("replica", replicaDir, replicaPort);
    return { primary, replica, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
