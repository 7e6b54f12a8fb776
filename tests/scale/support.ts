// Helpers for the scale tests: the production processes started from a copy of the build, an HTTP
// client that talks to them as a browser would (cookies, same-origin Origin header), throwaway
// databases, and polling instead of fixed sleeps.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import postgres from "postgres";

import { testServerUrl } from "../../scripts/services";

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

export interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

const live = new Set<Proc>();
// Last resort if a test process dies without its afterAll: leave nothing running.
process.once("exit", () => {
  for (const p of live) p.child.kill("SIGKILL");
});

/**
 * Only what a container would be given: no inherited variables (the test runner's NODE_OPTIONS,
 * DATABASE_URL, …), so the processes prove they run on the environment they are handed.
 */
export function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { NODE_ENV: "production", PATH: process.env.PATH ?? "/usr/bin:/bin", NEXT_TELEMETRY_DISABLED: "1", MAIL_OUTBOX_DIR, METRICS_TOKEN: TEST_METRICS_TOKEN, ...extra };
}

/** Starts `node <args>` in cwd with exactly env; output is kept for assertions and failure messages. */
export function startNode(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000); // bounded: keep the tail
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const proc: Proc = {
    name,
    child,
    output: () => output,
    exited: new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        live.delete(proc);
        resolve(code ?? (signal ? 128 : null));
      });
      child.once("error", () => {
        live.delete(proc);
        resolve(null);
      });
    }),
  };
  live.add(proc);
  return proc;
}

/** Runs `node <args>` to completion (bounded); resolves with its exit code and output. */
export async function runNode(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000) {
  const proc = startNode(name, args, cwd, env);
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), timeoutMs);
  try {
    const code = await proc.exited;
    return { code, output: proc.output() };
  } finally {
    clearTimeout(timer);
  }
}

/** SIGTERM (the web server and the worker shut down cleanly on it), SIGKILL after graceMs. */
export async function stopProcs(procs: Proc[], graceMs = 10_000): Promise<void> {
  const running = procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  for (const p of running) p.child.kill("SIGTERM");
  const timer = setTimeout(() => running.forEach((p) => p.child.kill("SIGKILL")), graceMs);
  await Promise.all(running.map((p) => p.exited));
  clearTimeout(timer);
}

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

/** The fields of OwnPost (server/posts/service.ts) the tests look at. */
export interface OwnPost {
  id: string;
  slug: string;
  title: string;
  status: "queued" | "processing" | "ready" | "failed";
  visibility: "draft" | "scheduled" | "published";
  version: number;
  processedVersion: number | null;
  publishedVersion: number | null;
  html: string | null;
  error: string | null;
}

// ---------------------------------------------------------------------------------------------
// Databases
// ---------------------------------------------------------------------------------------------

/**
 * An empty database named like createTestDatabase's (so dropTestDatabase and the abandoned-database
 * sweep handle it) but not migrated: the test runs the bundled migrate.mjs on it.
 */
export async function createEmptyTestDatabase(serverUrl: string = testServerUrl()): Promise<string> {
  const name = `inkwell_test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
