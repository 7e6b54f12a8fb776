import path from "node:path";

import { Redis } from "ioredis";

import { appEnv, binPath, type BenchContext } from "./context";
import { startChild, waitUntil, type Child } from "./processes";

// The app's own processes as production runs them: `next start` on the production build and
// `tsx worker/index.ts`, with this run's database, Redis prefix and secret.

export interface WebServer {
  baseUrl: string;
  child: Child;
}

/**
 * Node flags for a web server of the bench. BENCH_CPU_PROFILE_DIR: each web server writes a V8 CPU
 * profile there when it stops (open it in Chrome DevTools or speedscope) — how the save path's costs in
 * bench/README.md were found. BENCH_WEB_NODE_ARGS: more flags, such as --trace-gc (which NODE_OPTIONS
 * refuses).
 */
export function webNodeArgs(port: number): string[] {
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const profileArgs = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDir)}`, `--cpu-prof-name=web-${port}.cpuprofile`] : [];
  return [...profileArgs, ...(process.env.BENCH_WEB_NODE_ARGS?.split(" ").filter(Boolean) ?? [])];
}

export async function startWeb(ctx: BenchContext, port: number): Promise<WebServer> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = startChild(
    "web",
    process.execPath,
    [...webNodeArgs(port), path.join(ctx.appDir, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: ctx.appDir,
      logDir: ctx.logDir,
      env: appEnv(ctx, { PORT: String(port), APP_URL: baseUrl }),
    },
  );
  try {
    await waitUntil(
      `next start on ${baseUrl} (log: ${child.logFile})`,
      async () => {
        if (child.exited) throw new Error(`next start exited; see ${child.logFile}`);
        const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        return res.status === 200 || res.status === 503; // answering; 503 only says no worker is up
      },
      60_000,
      250,
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { baseUrl, child };
}

/** Worker processes that sent a heartbeat under this run's prefix. */
export async function liveWorkers(ctx: BenchContext): Promise<number> {
  const redis = new Redis(ctx.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    const pattern = `${ctx.queuePrefix.replace(/[*?[\]\\]/g, "\\$&")}:workers:*`;
    let cursor = "0";
    let count = 0;
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      count += keys.length;
    } while (cursor !== "0");
    return count;
  } finally {
    redis.disconnect();
  }
}

export async function startWorkerProcess(ctx: BenchContext, name: string, extraEnv: Record<string, string> = {}): Promise<Child> {
  const before = await liveWorkers(ctx);
  // BENCH_CPU_PROFILE_DIR: the worker too writes a V8 CPU profile when it stops; then it runs as `npm run
  // worker` does (node --import tsx), since tsx's launcher passes no Node flags on.
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const [command, args] = profileDir
    ? [process.execPath, ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDir, name)}`, "--import", "tsx", "worker/index.ts"]]
    : [binPath(ctx, "tsx"), ["worker/index.ts"]];
  const child = startChild(name, command, args, {
    cwd: ctx.root,
    logDir: ctx.logDir,
    env: appEnv(ctx, extraEnv),
  });
  try {
    await waitUntil(
      `${name} heartbeat (log: ${child.logFile})`,
      async () => {
        if (child.exited) throw new Error(`${name} exited; see ${child.logFile}`);
        return (await liveWorkers(ctx)) > before;
      },
      60_000,
      200,
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  return child;
}
