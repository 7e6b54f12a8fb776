import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Real processes for the crash and outage tests: worker processes and a Redis server of the test's own.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface Child {
  process: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

function track(child: ChildProcess): Child {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { process: child, exited, output: () => output };
}

/** Starts `npm run worker`'s process (worker/index.ts) with extra environment. */
export function startWorkerProcess(env: Record<string, string>): Child {
  return track(
    // `node --import tsx` keeps it one process: tsx's CLI would run the worker in a child of its own,
    // which a SIGKILL of the parent would leave running.
    spawn(process.execPath, ["--import", "tsx", "worker/index.ts"], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

/** Resolves once the worker logged that it started (its Redis connection is being made). */
export async function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(child.output())) {
    if (Date.now() > deadline) throw new Error(`process did not print ${pattern}; output:\n${child.output()}`);
    if (child.process.exitCode !== null) throw new Error(`process exited early; output:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function stop(child: Child, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill(signal);
  return child.exited;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** A throwaway Redis on its own port, in the foreground so the test can stop and restart it. */
export function startRedisServer(port: number): Child {
  return track(
    spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

/** A TCP proxy the test can cut and restore, standing in for a network or database outage. */
export interface CuttableProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(targetHost: string, targetPort: number): Promise<CuttableProxy> {
  const { createServer: createTcpServer, connect } = await import("node:net");
  const port = await freePort();
  const sockets = new Set<import("node:net").Socket>();
  let server: import("node:net").Server | undefined;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createTcpServer((client) => {
        const upstream = connect(targetPort, targetHost);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
  const cut = async () => {
    const closing = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of sockets) socket.destroy();
    await closing;
    server = undefined;
  };
  await listen();
  return { port, cut, restore: listen, close: cut };
}
