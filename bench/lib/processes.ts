import path from "node:path";

import { startProcess } from "../../scripts/services";
import { onCleanup } from "./cleanup";
import { sleep } from "./stats";

// Child processes (next start, tsx worker/index.ts, pgbench) in their own process group, output to a
// log file, stopped with SIGTERM then SIGKILL after a grace period (scripts/services/processes.ts).
// Every one is registered for cleanup.

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
  const logFile = path.join(options.logDir, `${name}.log`);
  // Own process group: tsx and next spawn grandchildren.
  const proc = startProcess(name, command, args, { cwd: options.cwd, env: options.env, detached: true, output: { file: logFile } });
  if (proc.child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const stop = async (graceMs = 10_000) => void (await proc.stop({ graceMs }));
  const forget = onCleanup(`process ${name}`, () => stop(3_000));
  void proc.exited.then(forget);
  return {
    name,
    pid: proc.child.pid,
    logFile,
    get exited() {
      return proc.done;
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
  const proc = startProcess(command, command, args, { cwd: options.cwd, env: options.env });
  const timer = setTimeout(() => proc.signal("SIGKILL"), options.timeoutMs);
  const forget = onCleanup(`command ${command}`, async () => proc.signal("SIGKILL"));
  const code = await proc.exited;
  clearTimeout(timer);
  forget();
  const output = proc.output();
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${code ?? "by a signal"}):\n${output.slice(-2_000)}`);
  return output;
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
