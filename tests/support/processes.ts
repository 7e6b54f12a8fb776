import { connect, createServer as createTcpServer, type Server, type Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { freePort, startProcess, type ManagedProcess } from "../../scripts/services";

// Real processes for the crash and outage tests: worker processes and a Redis server of the test's own.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type Child = ManagedProcess;
export { freePort, waitForOutput } from "../../scripts/services";

/** Starts `npm run worker`'s process (worker/index.ts) with extra environment. */
export function startWorkerProcess(env: Record<string, string>): Child {
  // `node --import tsx` keeps it one process: tsx's CLI would run the worker in a child of its own,
  // which a SIGKILL of the parent would leave running.
  return startProcess("worker", process.execPath, ["--import", "tsx", "worker/index.ts"], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
  });
}

/** Sends the signal (no grace period: the crash tests choose it) and resolves with the exit code, null if a signal ended it. */
export async function stop(child: Child, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  return child.stop({ signal, graceMs: 60_000 });
}

/** A throwaway Redis on its own port, in the foreground so the test can stop and restart it. */
export function startRedisServer(port: number): Child {
  return startProcess("redis-server", "redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
}

/** A TCP proxy the test can cut and restore, standing in for a network or database outage. */
export interface CuttableProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(targetHost: string, targetPort: number): Promise<CuttableProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
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
