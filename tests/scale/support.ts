// Helpers for the scale tests: the production processes started from a copy of the build, an HTTP
// client that talks to them as a browser would (cookies, same-origin Origin header), a test file's
// run (queue prefix, writer, throwaway databases, processes, cleanup), and polling instead of fixed sleeps.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  createTestDatabase,
  deleteRedisPrefix,
  dropTestDatabase,
  freePort,
  runProcess,
  startProcess,
  stopProcesses,
  testServerUrl,
  type ManagedProcess,
} from "../../scripts/services";

/** Set by tests/scale/global-setup.ts: copies of .next/standalone and .next/worker outside the repo. */
export function buildCopies(): { webDir: string; workerDir: string } {
  const webDir = process.env.INKWELL_SCALE_WEB_DIR;
  const workerDir = process.env.INKWELL_SCALE_WORKER_DIR;
  if (!webDir || !workerDir) throw new Error("run the scale tests with vitest.scale.config.ts (its global setup copies the build)");
  return { webDir, workerDir };
}

export const TEST_AUTH_SECRET = "inkwell-scale-secret-not-for-production-0123456789";
/** The operators' token the scale tests' web servers get, to read the full /api/health report. */
export const TEST_METRICS_TOKEN = "inkwell-scale-metrics-token-not-for-production";
export const operatorHeaders = { authorization: `Bearer ${TEST_METRICS_TOKEN}` };
export const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";

/** The workers of this test file write their mail (sign-up links) here; tests follow the links from it. */
export const MAIL_OUTBOX_DIR = mkdtempSync(path.join(tmpdir(), "inkwell-scale-outbox-"));

/** A braced (hash-tagged) queue prefix of this test's own, like the default "{inkwell}". */
export function uniquePrefix(label: string): string {
  return `{inkwell-${label}-${randomBytes(4).toString("hex")}}`;
}

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

export type Proc = ManagedProcess;

/**
 * Only what a container would be given: no inherited variables (the test runner's NODE_OPTIONS,
 * DATABASE_URL, …), so the processes prove they run on the environment they are handed.
 */
export function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { NODE_ENV: "production", PATH: process.env.PATH ?? "/usr/bin:/bin", NEXT_TELEMETRY_DISABLED: "1", MAIL_OUTBOX_DIR, METRICS_TOKEN: TEST_METRICS_TOKEN, ...extra };
}

/** Starts `node <args>` in cwd with exactly env; output is kept for assertions and failure messages. */
export function startNode(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Proc {
  return startProcess(name, process.execPath, args, { cwd, env });
}

/** Runs `node <args>` to completion (bounded); resolves with its exit code and output. */
export async function runNode(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000) {
  return runProcess(name, process.execPath, args, { cwd, env, timeoutMs });
}

/** SIGTERM (the web server and the worker shut down cleanly on it), SIGKILL after graceMs. */
export const stopProcs = stopProcesses;

// ---------------------------------------------------------------------------------------------
// Polling
// ---------------------------------------------------------------------------------------------

/** Calls check until it returns a value other than undefined; throws describe() after timeoutMs. */
export async function poll<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { timeoutMs = 30_000, intervalMs = 100, describe }: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const last = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}${describe ? `\n${describe()}` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until the process answers 200 on /api/health (Postgres, Redis and a worker all up). */
export async function waitForHealthy(baseUrl: string, procs: Proc[], timeoutMs = 60_000): Promise<void> {
  await poll(
    `${baseUrl}/api/health`,
    async () => {
      for (const p of procs) if (p.child.exitCode !== null) throw new Error(`${p.name} exited with code ${p.child.exitCode}`);
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
      return res.status === 200 ? true : undefined;
    },
    { timeoutMs, intervalMs: 200, describe: () => procs.map((p) => `--- ${p.name}:\n${p.output().slice(-4_000)}`).join("\n") },
  );
}

// ---------------------------------------------------------------------------------------------
// HTTP: tRPC and Auth.js as a browser uses them
// ---------------------------------------------------------------------------------------------

export { TrpcError, WebClient } from "../../scripts/web-client";

export interface Writer {
  email: string;
  username: string;
  displayName: string;
  password: string;
}

export function newWriter(label: string): Writer {
  const username = `${label}_${randomBytes(5).toString("hex")}`.slice(0, 30);
  return { email: `${username}@example.test`, username, displayName: `${label} writer`, password: "correct horse battery staple" };
}

/** A post as its author sees it, as the router answers it (the client's type, trpc/types.ts). */
export type { OwnPost } from "@/trpc/types";

// ---------------------------------------------------------------------------------------------
// One test file's run: its queue prefix, writer, databases and processes, cleaned up together
// ---------------------------------------------------------------------------------------------

/** A loopback address on a free port, for a web instance to listen on. */
export async function freeLocalUrl(): Promise<{ port: number; url: string }> {
  const port = await freePort();
  return { port, url: `http://127.0.0.1:${port}` };
}

export class ScaleRun {
  readonly prefix: string;
  readonly writer: Writer;
  /** Processes started with start(), stopped by cleanup(). */
  readonly procs: Proc[] = [];
  private readonly databases: string[] = [];

  constructor(label: string) {
    this.prefix = uniquePrefix(label);
    this.writer = newWriter(label);
  }

  /** What every process of this run gets: baseEnv, Redis, the auth secret, the run's queue prefix, the writer as operator. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return baseEnv({
      REDIS_URL,
      AUTH_SECRET: TEST_AUTH_SECRET,
      QUEUE_PREFIX: this.prefix,
      ADMIN_EMAILS: this.writer.email,
      LOG_LEVEL: "info",
      ...extra,
    });
  }

  /** An empty, unmigrated test database (the test runs the bundled migrate.mjs on it), dropped by cleanup(). */
  async createDatabase(): Promise<string> {
    const url = await createTestDatabase(testServerUrl(), { migrate: false });
    this.databases.push(url);
    return url;
  }

  start(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Proc {
    const proc = startNode(name, args, cwd, env);
    this.procs.push(proc);
    return proc;
  }

  /** Stops the processes (SIGTERM, SIGKILL after graceMs), drops the databases, deletes the queue's keys. */
  async cleanup(graceMs = 10_000): Promise<void> {
    await stopProcs(this.procs, graceMs);
    for (const url of this.databases) await dropTestDatabase(url).catch(() => {});
    await deleteRedisPrefix(REDIS_URL, this.prefix).catch(() => {});
  }
}
