// The long-running children of `npm run dev`, `npm start` (supervised: restarted by a RestartPolicy)
// and the end-to-end server, started and stopped together.
import path from "node:path";

import type { RestartPolicy } from "../restart-policy";
import { REPO_ROOT, type Log } from "./common";
import { startProcess, type ManagedProcess } from "./processes";

interface Managed {
  process: ManagedProcess;
  startedAt: number;
}

interface Command {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface ChildGroupOptions {
  /**
   * Give each child its own process group. run.ts does, so a terminal Ctrl-C reaches only the
   * runner, which stops the apps before the services they drain into. e2e-server.ts does not, so
   * Playwright's last-resort SIGKILL of its process group still reaches them.
   */
  detached: boolean;
  /** How long children get to exit after the stop signal before they are killed. */
  graceMs: number;
  log: Log;
  /**
   * A long-running child exited while nobody was stopping the group, and is not restarted: it has no
   * restart policy, or its policy gave up (a crash loop).
   */
  onUnexpectedExit: (name: string, code: number) => void;
  /** A supervised child exited unexpectedly and will be started again (restart counts from 1). */
  onRestart?: (name: string, restart: number, exit: string) => void;
}

/**
 * Runs node_modules/.bin commands with inherited stdio and stops them together, bounded in time.
 * Children started with a RestartPolicy are supervised: restarted when they exit unexpectedly, while the
 * others keep running, until the policy gives up.
 */
export class ChildGroup {
  private readonly children: Managed[] = [];
  private readonly pendingRestarts = new Set<NodeJS.Timeout>();
  private stopping = false;

  constructor(private readonly options: ChildGroupOptions) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  private spawn(cmd: Command, oneOff: boolean, policy?: RestartPolicy): Managed {
    const { name, command, args, env } = cmd;
    const proc = startProcess(name, path.join(REPO_ROOT, "node_modules", ".bin", command), args, {
      cwd: REPO_ROOT,
      env,
      output: "inherit",
      detached: this.options.detached,
    });
    const managed: Managed = { process: proc, startedAt: Date.now() };
    // Supervised children say their pid: operators (and the restart test) can tell the processes apart.
    if (policy && proc.child.pid !== undefined) this.options.log(`${name} started (pid ${proc.child.pid})`);
    void proc.exited.then((code) => {
      if (this.stopping || oneOff) return;
      const exit = proc.startError
        ? `could not start: ${proc.startError.message}`
        : proc.exitSignal
          ? `signal ${proc.exitSignal}`
          : `code ${code}`;
      const exitCode = code && code > 0 ? code : 1;
      if (!policy) {
        this.options.log(`${name} exited (${exit})`);
        this.options.onUnexpectedExit(name, exitCode);
        return;
      }
      const decision = policy.onUnexpectedExit(managed.startedAt, Date.now());
      if (decision.action === "give-up") {
        this.options.log(
          `${name} exited (${exit}) after ${decision.restartsInWindow} restarts in a short time: it is crash-looping, ` +
            "so it is not restarted again. Its output above says why.",
        );
        this.options.onUnexpectedExit(name, exitCode);
        return;
      }
      this.options.log(`${name} exited unexpectedly (${exit}); restarting it in ${decision.delayMs / 1000} s (restart ${decision.restart})`);
      this.options.onRestart?.(name, decision.restart, exit);
      const timer = setTimeout(() => {
        this.pendingRestarts.delete(timer);
        if (!this.stopping) this.spawn(cmd, false, policy);
      }, decision.delayMs);
      this.pendingRestarts.add(timer);
    });
    this.children.push(managed);
    return managed;
  }

  /**
   * A long-running process (web, worker). With a restart policy it is restarted when it exits while
   * the group is not stopping; without one, such an exit is reported to onUnexpectedExit.
   */
  start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, restart?: RestartPolicy): void {
    this.spawn({ name, command, args, env }, false, restart);
  }

  /** A command run to completion (next build); rejects on a non-zero exit. Stopped with the group. */
  async run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
    const m = this.spawn({ name, command, args, env }, true);
    const code = await m.process.exited;
    if (code !== 0) throw new Error(`${name} failed (exit code ${code ?? 1})`);
  }

  /** Sends `signal`, waits up to graceMs, then SIGKILLs what is left (and the children's groups). Safe to call twice. */
  async stop(signal: NodeJS.Signals): Promise<void> {
    if (this.stopping) {
      this.killAll(); // asked twice (a second Ctrl-C): do not make anyone wait
      return;
    }
    this.stopping = true;
    for (const timer of this.pendingRestarts) clearTimeout(timer);
    this.pendingRestarts.clear();
    const live = this.children.filter((m) => !m.process.done);
    if (live.length > 0) this.options.log(`stopping ${live.map((m) => m.process.name).join(", ")}…`);
    const timer = setTimeout(() => this.options.log(`still running after ${this.options.graceMs / 1000} s; killing`), this.options.graceMs);
    await Promise.all(this.children.map((m) => m.process.stop({ signal, graceMs: this.options.graceMs })));
    clearTimeout(timer);
  }

  /** Synchronous last resort, e.g. from a process "exit" handler. */
  killAll(): void {
    for (const m of this.children) m.process.signal("SIGKILL");
  }
}
