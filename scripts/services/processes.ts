// Child processes for the scripts, the tests and the bench: one way to start a process (optionally in
// a process group of its own), watch its output, and stop it with a signal and then SIGKILL after a
// grace period. Also freePort. Nothing here is imported by the web app or the worker.
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export interface ProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Own process group: signals go to the whole group, so grandchildren (tsx, next) stop too, and a
   * terminal's Ctrl-C does not reach the child directly. Off by default: then a signal to the caller's
   * group (Playwright's last-resort SIGKILL, a Ctrl-C) reaches the child as well.
   */
  detached?: boolean;
  /**
   * Where stdout and stderr go: "capture" (default) keeps them for output() (the tail, bounded),
   * "inherit" shares the caller's, "ignore" drops them, { file } appends them to a log file.
   */
  output?: "capture" | "inherit" | "ignore" | { file: string };
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves when the process has exited: its exit code, or null when a signal ended it or it could not start. */
  exited: Promise<number | null>;
  /** True once the process has exited (or failed to start). */
  readonly done: boolean;
  /** The signal that ended it, once exited by one. */
  readonly exitSignal: NodeJS.Signals | null;
  /** Why it could not start (ENOENT, EACCES), if so. */
  readonly startError: Error | undefined;
  /** The captured output so far ("" unless output is "capture"). */
  output(): string;
  /** Sends a signal to the process (or its group when detached); nothing once it has exited. */
  signal(signal: NodeJS.Signals): void;
  /** Sends `signal` (SIGTERM), SIGKILLs after graceMs, and resolves with the exit code. Safe to call again. */
  stop(options?: { signal?: NodeJS.Signals; graceMs?: number }): Promise<number | null>;
}

const OUTPUT_LIMIT = 2_000_000;

// Last resort if the calling process dies without stopping its children: leave nothing running.
const live = new Set<ManagedProcess>();
process.once("exit", () => {
  for (const p of live) p.signal("SIGKILL");
});

function stdioFor(output: ProcessOptions["output"]): StdioOptions {
  if (output === "inherit") return "inherit";
  if (output === "ignore") return "ignore";
  return ["ignore", "pipe", "pipe"];
}

/** Starts `command args` and tracks it until it exits. */
export function startProcess(name: string, command: string, args: string[], options: ProcessOptions = {}): ManagedProcess {
  const output = options.output ?? "capture";
  const detached = (options.detached ?? false) && process.platform !== "win32";
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: stdioFor(output), detached });

  let captured = "";
  if (output === "capture") {
    const append = (chunk: Buffer) => {
      captured += chunk.toString();
      if (captured.length > OUTPUT_LIMIT) captured = captured.slice(-OUTPUT_LIMIT / 2); // keep the tail
    };
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
  } else if (typeof output === "object") {
    mkdirSync(path.dirname(output.file), { recursive: true });
    const file = createWriteStream(output.file, { flags: "a" });
    child.stdout?.pipe(file, { end: false });
    child.stderr?.pipe(file, { end: false });
    child.once("close", () => file.end());
  }

  let done = false;
  let exitSignal: NodeJS.Signals | null = null;
  let startError: Error | undefined;

  const signal = (sig: NodeJS.Signals) => {
    if (done || child.pid === undefined) return;
    try {
      if (detached) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // ESRCH: gone already
    }
  };

  const managed: ManagedProcess = {
    name,
    child,
    exited: new Promise<number | null>((resolve) => {
      const finish = (code: number | null) => {
        if (done) return;
        done = true;
        live.delete(managed);
        resolve(code);
      };
      child.once("exit", (code, sig) => {
        exitSignal = sig;
        finish(code);
      });
      child.once("error", (error) => {
        startError = error;
        captured += `could not start ${command}: ${error.message}\n`;
        finish(null);
      });
    }),
    get done() {
      return done;
    },
    get exitSignal() {
      return exitSignal;
    },
    get startError() {
      return startError;
    },
    output: () => captured,
    signal,
    stop: async ({ signal: first = "SIGTERM", graceMs = 10_000 } = {}) => {
      signal(first); // nothing once exited; a second call (a harder signal) is sent too
      const timer = setTimeout(() => signal("SIGKILL"), graceMs);
      const code = await managed.exited;
      clearTimeout(timer);
      // Grandchildren left behind in the group.
      if (detached && child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // ESRCH: the group is gone, the normal case
        }
      }
      return code;
    },
  };
  live.add(managed);
  return managed;
}

/** Stops several processes at once (SIGTERM, then SIGKILL after graceMs). */
export async function stopProcesses(processes: ManagedProcess[], graceMs = 10_000): Promise<void> {
  await Promise.all(processes.map((p) => p.stop({ graceMs })));
}

/** Runs a command to completion, SIGKILLed after timeoutMs; resolves with its exit code and captured output. */
export async function runProcess(
  name: string,
  command: string,
  args: string[],
  options: Omit<ProcessOptions, "output"> & { timeoutMs: number },
): Promise<{ code: number | null; output: string }> {
  const proc = startProcess(name, command, args, { ...options, output: "capture" });
  const timer = setTimeout(() => proc.signal("SIGKILL"), options.timeoutMs);
  try {
    const code = await proc.exited;
    return { code, output: proc.output() };
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once the process has printed something matching pattern; throws if it exits first or times out. */
export async function waitForOutput(proc: ManagedProcess, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(proc.output())) {
    if (Date.now() > deadline) throw new Error(`${proc.name} did not print ${pattern}; output:\n${proc.output()}`);
    if (proc.done) throw new Error(`${proc.name} exited early; output:\n${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
