// Running the container tooling (docker, apt-get, debootstrap, npm) from the container tests: one
// command at a time, output kept for the failure message, bounded by a timeout.
import { spawn } from "node:child_process";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Sent to stdin, then closed (stdin is closed at once otherwise). */
  input?: string | NodeJS.ReadableStream;
  /** SIGKILL after this long; the result then has code null. */
  timeoutMs?: number;
  /** Echo output as it comes (long builds show progress in the CI log). */
  stream?: boolean;
}

const KEEP_CHARS = 200_000;

/** Runs `command args`, resolving with its exit code and the tail of its output (never rejects on a non-zero exit). */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const keep = (text: string) => (text.length > KEEP_CHARS ? text.slice(-KEEP_CHARS) : text);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout = keep(stdout + chunk.toString());
      if (options.stream) process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = keep(stderr + chunk.toString());
      if (options.stream) process.stderr.write(chunk);
    });
    if (typeof options.input === "string") child.stdin.end(options.input);
    else if (options.input) options.input.pipe(child.stdin);
    else child.stdin.end();
    const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${command}: ${error.message}`));
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Like run(), but a non-zero exit (or a timeout) throws with the command and the end of its output. */
export async function runOrThrow(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const why = result.code === null ? `was stopped after ${options.timeoutMs} ms` : `exited with code ${result.code}`;
    const output = `${result.stdout}\n${result.stderr}`.trim().slice(-6_000);
    throw new Error(`${command} ${args.join(" ")} ${why}:\n${output}`);
  }
  return result;
}

/** True when `command` is on PATH (or is an existing absolute path). */
export async function hasCommand(command: string): Promise<boolean> {
  const result = await run("sh", ["-c", `command -v "$1"`, "sh", command]);
  return result.code === 0;
}

/** A line for the CI log, with the time since the test run started. */
const startedAt = Date.now();
export function say(message: string): void {
  console.log(`[containers +${Math.round((Date.now() - startedAt) / 1000)}s] ${message}`);
}
