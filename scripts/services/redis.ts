// Redis for development and tests: REDIS_URL, the one already running here, or a redis-server
// started on a free port.
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { Redis } from "ioredis";

import { DATA_DIR, noop, shownPath, type Log, type StartedService } from "./common";
import { freePort, startProcess } from "./processes";


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


async function startRedisServer(dir: string, log: Log, persist: boolean): Promise<StartedService> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  // Append-only file on, snapshots off: the embedded database persists in .data/, so queued jobs
  // must survive a restart of `npm run dev` too, or posts stay "queued" with no job behind them.
  // appendfsync everysec (the default) costs next to nothing at development load.
  const server = startProcess(
    "redis-server",
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", persist ? "yes" : "no", "--logfile", "redis.log"],
    // Own process group: a Ctrl-C in the terminal must not stop Redis before the worker has drained.
    { output: "ignore", detached: true },
  );

  const deadline = Date.now() + 10_000;
  try {
    while (!(await redisAnswers(url, 500))) {
      if (server.startError) throw server.startError;
      if (server.done) throw new Error(`redis-server exited at start; see ${path.join(dir, "redis.log")}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${url} within 10 s; see ${path.join(dir, "redis.log")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    server.signal("SIGKILL");
    throw error;
  }
  log(`[redis] started redis-server on ${url} (files in ${shownPath(dir)})`);

  // redis-server shuts down cleanly on SIGTERM (fsyncs the AOF).
  const stop = async () => void (await server.stop({ graceMs: 5_000 }));
  return { url, embedded: true, description: `redis-server started here (data in ${shownPath(dir)})`, stop };
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
