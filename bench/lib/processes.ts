import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";

import { onCleanup, trackProcessGroup } from "./cleanup";
import { sleep } from "./stats";

// Child processes (next start, tsx worker/index.ts, pgbench) in their own process group, output to a
// log file, stopped with SIGTERM then SIGKILL after a grace period. Every one is registered for cleanup.

export interface Child {
  name: string;
  pid: number;
  logFile: string;
  /** True once the process has exited. */
  readonly exited: boolean;
  /** SIGTERM to the group, SIGKILL after graceMs; resolves when it has exited. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export function startChild(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logDir: string },
): Child {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `${name}.log`);
  const out = createWriteStream(logFile, { flags: "a" });
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // own process group: tsx and next spawn grandchildren
  });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const pid = child.pid;
  const untrack = trackProcessGroup(pid);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      untrack();
      resolve();
    });
    child.once("error", () => {
      exited = true;
      untrack();
      resolve();
    });
  });
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // ESRCH: gone already
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      if (!exited) {
        signal("SIGTERM");
        const timer = setTimeout(() => signal("SIGKILL"), graceMs);
        await exit;
        clearTimeout(timer);
      }
      signal("SIGKILL"); // grandchildren left behind in the group
      out.end();
    })();
    return stopping;
  };
  const forget = onCleanup(`process ${name}`, () => stop(3_000));
  void exit.then(forget);
  return {
    name,
    pid,
    logFile,
    get exited() {
      return exited;
    },
    stop,
  };
}

/** Runs a command to completion (bounded in time); resolves with its output, rejects on failure. */
export async function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    const forget = onCleanup(`command ${command}`, async () => void child.kill("SIGKILL"));
    child.once("error", (error) => {
      clearTimeout(timer);
      forget();
      reject(error);
    });
    child.once("exit", (code, sig) => {
      clearTimeout(timer);
      forget();
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(" ")} failed (${sig ?? `exit ${code}`}):\n${output.slice(-2_000)}`));
    });
  });
}

/** Polls `check` until it returns true, or throws after timeoutMs. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
