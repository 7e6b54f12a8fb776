import { afterAll, describe, expect, it } from "vitest";
import { closeConnections, eventually, newWriter } from "./helpers";
import { startProxy, startWorkerProcess, stop, waitForOutput, type Child, type CuttableProxy } from "../support/processes";

let worker: Child | undefined;
let proxy: CuttableProxy | undefined;
afterAll(async () => {
  if (worker) await stop(worker, "SIGKILL");
  await proxy?.close();
  await closeConnections();
});

describe("Postgres unreachable from the worker", () => {
  it("fails the job, retries with backoff and succeeds once Postgres is back", async () => {
    const database = new URL(process.env.DATABASE_URL ?? "");
    proxy = await startProxy(database.hostname, Number(database.port || 5432));
    const throughProxy = new URL(database);
    throughProxy.hostname = "127.0.0.1";
    throughProxy.port = String(proxy.port);
    worker = startWorkerProcess({ DATABASE_URL: throughProxy.toString(), WORKER_CONCURRENCY: "1" });
    await waitForOutput(worker, /worker started/);

    const { api } = await newWriter("Pg");
    const before = await api.posts.create({ title: "Before", markdown: "reachable" });
    await eventually(() => api.posts.byId({ id: before.id }), (p) => p.status === "ready");

    await proxy.cut(); // the web (this process) still reaches Postgres; the worker does not
    const during = await api.posts.create({ title: "During", markdown: "unreachable" });
    await waitForOutput(worker, /"msg":"process-post failed"/);
    expect((await api.posts.byId({ id: during.id })).status).toBe("queued");

    await proxy.restore();
    const done = await eventually(() => api.posts.byId({ id: during.id }), (p) => p.status === "ready", 30_000);
    expect(done).toMatchObject({ html: "<p>unreachable</p>", processedVersion: 1, error: null });
  }, 60_000);
});
